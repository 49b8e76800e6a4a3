import { Context, type Effect } from "effect";
import type { PaginationCursorInvalid, PersistenceUnavailable } from "../shared/errors.js";
import type { ProductId, UserId } from "../shared/ids.js";
import type { Page, PageRequest } from "../shared/page.js";
import type { InventoryInsufficientStock, ProductNotFound } from "../inventory/errors.js";
import type { Cart, CartChange, CartLine } from "./cart.js";
import type { CartVersionConflict } from "./errors.js";

export interface ExpiredHold {
  readonly customerId: UserId;
  readonly line: CartLine;
}

export interface CartStoreShape {
  /** The customer's cart; an empty one if they have none. */
  readonly get: (customerId: UserId) => Effect.Effect<Cart, PersistenceUnavailable>;
  /**
   * Applies every line write and reservation delta of a change atomically, or none:
   * a line not at its expected version fails with CartVersionConflict, a positive
   * delta larger than what is available with InventoryInsufficientStock.
   */
  readonly apply: (
    change: CartChange,
  ) => Effect.Effect<void, CartVersionConflict | InventoryInsufficientStock | ProductNotFound | PersistenceUnavailable>;
  /** Unreleased holds that expired at or before `before`, of one product or all, soonest first. */
  readonly expiredHolds: (
    query: PageRequest & { readonly before: number; readonly productId?: ProductId | undefined },
  ) => Effect.Effect<Page<ExpiredHold>, PaginationCursorInvalid | PersistenceUnavailable>;
}
export class CartStore extends Context.Tag("cartwright/CartStore")<CartStore, CartStoreShape>() {}
