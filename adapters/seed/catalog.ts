/** Demo catalog for local runs only (never seeded in a deployed stack). Prices in EUR cents; a few products are scarce. */
import type { NewProduct } from "../../domain/index.js";
import type { Currency, Money, ProductId } from "../../domain/index.js";

const eur = (cents: number) => ({ amount: cents, currency: "EUR" as Currency }) as Money;

type Row = readonly [id: string, name: string, category: string, cents: number, stock: number, description: string];

const rows: ReadonlyArray<Row> = [
  ["coffee-espresso-beans", "Espresso Beans 1 kg", "coffee", 2490, 120, "Dark roast, notes of cocoa and hazelnut."],
  ["coffee-filter-beans", "Filter Beans 500 g", "coffee", 1450, 80, "Light Ethiopian roast for pour-over."],
  ["coffee-decaf", "Decaf Beans 500 g", "coffee", 1390, 25, "Swiss-water decaffeinated."],
  ["coffee-grinder-hand", "Hand Grinder", "coffee", 8900, 12, "Steel burrs, 40 click settings."],
  ["coffee-moka-pot", "Moka Pot 6 Cups", "coffee", 3490, 30, "Aluminium stovetop espresso maker."],
  ["coffee-gooseneck-kettle", "Gooseneck Kettle", "coffee", 5900, 3, "Precise pour, 1 litre."],
  ["coffee-vintage-roaster", "Vintage Drum Roaster", "coffee", 64900, 1, "Restored 1960s drum roaster, one of a kind."],
  ["kitchen-chef-knife", "Chef's Knife 21 cm", "kitchen", 11900, 15, "Forged stainless steel."],
  ["kitchen-cutting-board", "Oak Cutting Board", "kitchen", 4500, 40, "End-grain oak, 40 x 30 cm."],
  ["kitchen-cast-iron-pan", "Cast Iron Pan 28 cm", "kitchen", 6900, 18, "Pre-seasoned, oven safe."],
  ["kitchen-dutch-oven", "Dutch Oven 5 l", "kitchen", 15900, 2, "Enamelled cast iron, cherry red."],
  ["kitchen-linen-apron", "Linen Apron", "kitchen", 3200, 60, "Washed linen with two pockets."],
  ["kitchen-spice-set", "Spice Set of 12", "kitchen", 3900, 35, "Whole spices in glass jars."],
  ["kitchen-copper-saucepan", "Copper Saucepan", "kitchen", 23900, 3, "Hammered copper, tin lined."],
  ["books-bread-baking", "The Bread Book", "books", 2990, 50, "Sourdough from starter to loaf."],
  ["books-coffee-atlas", "World Atlas of Coffee", "books", 3500, 22, "Origins, processing and brewing."],
  ["books-fermentation", "The Art of Fermentation", "books", 3990, 14, "Kraut, kimchi, kombucha and more."],
  ["books-first-edition", "Signed First Edition Cookbook", "books", 18900, 1, "Signed by the author."],
  ["books-knife-skills", "Knife Skills Illustrated", "books", 2490, 45, "Step-by-step techniques."],
  ["tea-sencha", "Sencha 100 g", "tea", 1290, 70, "Steamed Japanese green tea."],
  ["tea-earl-grey", "Earl Grey 100 g", "tea", 990, 90, "Black tea with bergamot."],
  ["tea-matcha", "Ceremonial Matcha 30 g", "tea", 2890, 20, "Stone-ground, from Uji."],
  ["tea-cast-iron-teapot", "Cast Iron Teapot", "tea", 5400, 2, "Tetsubin with infuser, 0.8 l."],
  ["tea-glass-cups", "Double-Wall Glass Cups (2)", "tea", 1990, 55, "Keeps tea hot, hands cool."],
  ["home-candle-cedar", "Cedar Candle", "home", 2400, 75, "Soy wax, 40 hours."],
  ["home-wool-throw", "Wool Throw", "home", 8900, 10, "Merino, 130 x 170 cm."],
  ["home-ceramic-vase", "Ceramic Vase", "home", 4900, 3, "Hand-thrown stoneware, speckled glaze."],
  ["home-linen-napkins", "Linen Napkins (4)", "home", 2900, 48, "Stonewashed, sage green."],
  ["home-walnut-tray", "Walnut Serving Tray", "home", 6500, 9, "Oiled walnut, brass handles."],
  ["garden-herb-kit", "Windowsill Herb Kit", "garden", 2200, 30, "Basil, thyme and parsley."],
  ["garden-pruning-shears", "Pruning Shears", "garden", 3800, 16, "Bypass blades, ash handles."],
  ["garden-watering-can", "Brass Watering Can", "garden", 7400, 2, "1.5 l, long spout."],
];

export const demoCatalog: ReadonlyArray<NewProduct & { readonly id: ProductId }> = rows.map(
  ([id, name, category, cents, stock, description]) => ({ id: id as ProductId, name, category, price: eur(cents), stock, description }),
);

export const demoUsers = {
  customer: { email: "shopper@example.com", password: "shopper-password", name: "Sam Shopper" },
  admin: { email: "admin@example.com", password: "admin-password", name: "Ada Admin" },
} as const;
