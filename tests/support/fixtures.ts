import type { Currency, Money, Product, ProductId, Timestamp, UserId, CartLine, HoldId, Quantity } from "../../domain/index.js";

export const eur = (amount: number): Money => ({ amount, currency: "EUR" as Currency }) as Money;

export const product = (id: string, overrides: Partial<Product> = {}): Product => ({
  id: id as ProductId,
  name: `Product ${id}`,
  category: "general",
  description: "",
  price: eur(1000),
  stock: 10,
  reserved: 0,
  ...overrides,
});

export const customer = (id: string) => id as UserId;

export const line = (productId: string, overrides: Partial<CartLine> = {}): CartLine => ({
  productId: productId as ProductId,
  name: `Product ${productId}`,
  quantity: 1 as Quantity,
  unitPrice: eur(1000),
  holdId: `hold-${productId}` as HoldId,
  reservedAt: 0 as Timestamp,
  expiresAt: 1000 as Timestamp,
  released: false,
  version: 1,
  ...overrides,
});

/** Unique per call, so tests can share one store without colliding. */
let counter = 0;
export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(++counter).toString(36)}`;
