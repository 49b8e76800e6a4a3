/**
 * One success body per operation, keyed by operationId, as the API sends it (wire JSON: ISO timestamps, money in
 * minor units). openapi.ts shows each beside its response schema; tests/http/openapi-examples.test.ts decodes
 * each with the route's schema and validates it against the published JSON Schema.
 */
const eur = (amount: number) => ({ amount, currency: "EUR" });
const at = (time: string) => `2025-05-12T${time}:00.000Z`;

const image = (id: string, alt: string) => ({
  id,
  alt,
  width: 1600,
  height: 1200,
  url: `https://media.example.com/images/tea-sencha/${id}/1600.webp`,
  variants: [320, 800, 1600].map((width) => ({ width, height: (width * 3) / 4, url: `https://media.example.com/images/tea-sencha/${id}/${width}.webp` })),
});
const images = [image("b7c1e0d2", "A tin of sencha, lid open"), image("a41f9c33", "Sencha leaves in a white cup")];

const matcha = { id: "tea-matcha", name: "Ceremonial Matcha 30 g", category: "tea", description: "Stone-ground, from Uji.", price: eur(2890), available: 18 };
const sencha = { id: "tea-sencha", name: "Sencha, 100 g", category: "tea", description: "Steamed green tea", price: eur(1250) };
const counters = (stock: number, reserved: number, archivedAt?: string) => ({
  stock,
  reserved,
  available: stock - reserved,
  lowStock: stock - reserved < 5,
  archived: archivedAt !== undefined,
  ...(archivedAt === undefined ? {} : { archivedAt }),
});
const adminSencha = (stock: number, reserved: number, archivedAt?: string) => ({ ...sencha, ...counters(stock, reserved, archivedAt) });
const adminTeapot = { id: "tea-cast-iron-teapot", name: "Cast Iron Teapot", category: "tea", description: "Tetsubin with infuser, 0.8 l.", price: eur(5400), ...counters(2, 1) };

const cartLine = { productId: "tea-matcha", name: "Ceremonial Matcha 30 g", quantity: 2, unitPrice: eur(2890), lineTotal: eur(5780), expiresAt: at("09:45"), status: "live" };
const cart = { lines: [cartLine], subtotal: eur(5780), earliestExpiry: at("09:45") };
const emptyCart = { lines: [], subtotal: null, earliestExpiry: null };

const orderLine = { productId: "tea-matcha", name: "Ceremonial Matcha 30 g", quantity: 2, unitPrice: eur(2890), lineTotal: eur(5780) };
const placed = {
  id: "ord_01hx7k2m9q",
  customerId: "u_7f3a9c",
  status: "placed",
  lines: [orderLine],
  subtotal: eur(5780),
  total: eur(5780),
  createdAt: at("09:31"),
  updatedAt: at("09:31"),
  history: [{ status: "placed", at: at("09:31"), by: "customer" }],
};
const payment = { provider: "stripe", paymentId: "pi_3PqR8sLkdIwHu7ix", amount: eur(5780) };
const paid = {
  ...placed,
  status: "paid",
  updatedAt: at("09:33"),
  history: [...placed.history, { status: "paid", at: at("09:33"), by: "system" }],
  payment: { ...payment, status: "succeeded", refunds: [] },
};
const packed = { ...paid, status: "packed", updatedAt: at("11:02"), history: [...paid.history, { status: "packed", at: at("11:02"), by: "admin" }] };
const cancelled = { ...placed, status: "cancelled", updatedAt: at("09:40"), history: [...placed.history, { status: "cancelled", at: at("09:40"), by: "customer" }] };

const user = { id: "u_7f3a9c", email: "ada@example.com", name: "Ada Lovelace", role: "customer", createdAt: at("09:00") };
const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1XzdmM2E5YyIsInJvbGUiOiJjdXN0b21lciJ9.3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const page = <T>(items: ReadonlyArray<T>, more = false) => ({ items, nextCursor: more ? "AQ3x9kLmZ2Vy7TQeyJuIjoiVGVhIn0" : null });

const orderPlacedEvent = {
  type: "OrderPlaced",
  eventId: "ord_01hx7k2m9q:1",
  version: 1,
  occurredAt: at("09:31"),
  orderId: "ord_01hx7k2m9q",
  customerId: "u_7f3a9c",
  sequence: 1,
  order: { status: "placed", lines: [orderLine], subtotal: eur(5780), total: eur(5780), placedAt: at("09:31") },
};

export const responseExamples: Readonly<Record<string, unknown>> = {
  getHealth: { status: "ok" },
  getHealthReady: { status: "ready" },
  postAuthRegister: { user, token },
  postAuthLogin: { user: { ...user, id: "u_shopper", email: "shopper@example.com", name: "Demo Shopper" }, token },
  getAuthMe: user,
  getProducts: page([{ ...matcha, images: [] }, { ...sencha, available: 40, images }], true),
  getProductsId: { ...matcha, maxPerCustomer: 4, images: [] },
  getCategories: { items: [{ category: "coffee", products: 7 }, { category: "tea", products: 5 }] },
  getCart: cart,
  postCartItems: cart,
  putCartItemsProductId: { ...cart, lines: [{ ...cartLine, quantity: 3, lineTotal: eur(8670) }], subtotal: eur(8670) },
  deleteCartItemsProductId: emptyCart,
  deleteCart: emptyCart,
  postCartRenew: {
    cart: { ...cart, lines: [{ ...cartLine, expiresAt: at("10:05") }], earliestExpiry: at("10:05") },
    report: [
      { productId: "tea-matcha", outcome: "extended", expiresAt: at("10:05") },
      { productId: "tea-cast-iron-teapot", outcome: "unavailable", requested: 1, available: 0 },
    ],
  },
  postOrders: placed,
  getOrders: page([paid, cancelled]),
  getOrdersId: paid,
  postOrdersIdCancel: cancelled,
  postOrdersIdPayment: { orderId: "ord_01hx7k2m9q", ...payment, clientSecret: "pi_3PqR8sLkdIwHu7ix_secret_x9Yb2", publishableKey: "pk_test_51Hx9", status: "pending" },
  postAdminProducts: adminSencha(40, 0),
  getAdminProducts: page([adminTeapot, adminSencha(40, 3)], true),
  patchAdminProductsId: { ...adminSencha(40, 3), price: eur(1350) },
  postAdminProductsIdStock: adminSencha(64, 3),
  getAdminInventory: page([adminTeapot]),
  getAdminOrders: page([placed]),
  getAdminEvents: page([orderPlacedEvent], true),
  postAdminOrdersIdStatus: packed,
  postAdminProductsIdArchive: adminSencha(40, 3, at("12:00")),
  postAdminProductsIdUnarchive: adminSencha(40, 3),
  postAdminProductsIdImages: {
    uploadId: "up_5d2c8e1f",
    url: "https://cartwright-media.s3.eu-west-1.amazonaws.com/",
    fields: { key: "incoming/tea-sencha/up_5d2c8e1f", "Content-Type": "image/jpeg", Policy: "eyJleHBpcmF0aW9uIjoi", "X-Amz-Signature": "7c4e0d" },
    maxBytes: 10_485_760,
    expiresAt: at("09:45"),
  },
  getAdminUploadsId: { id: "up_5d2c8e1f", productId: "tea-sencha", contentType: "image/jpeg", status: "ready", imageId: "b7c1e0d2", expiresAt: at("09:45") },
  deleteAdminProductsIdImagesImageId: [images[0]],
  putAdminProductsIdImagesOrder: images,
  postWebhooksPayments: { received: true, outcome: "applied" },
};
