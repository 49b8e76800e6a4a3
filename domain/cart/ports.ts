import { Context, type Effect } from "effect";
import type { PaginationCursorInvalid, PersistenceUnavailable } from "../shared/errors.js";
import type { ProductId, UserId } from "../shared/ids.js";
import type { Page, PageRequest } from "../shared/page.js";
import type { InventoryInsufficientStock, ProductArchived, ProductNotFound } from "../inventory/errors.js";
import type { Cart, CartChange, CartLine } from "./cart.js";
import type { CartCurrencyMismatch, CartLineLimitExceeded, CartVersionConflict } from "./errors.js";
import type { IdempotencyKeyTaken } from "../idempotency/errors.js";

export interface ExpiredHold {
  readonly customerId: UserId;
  readonly line: CartLine;
}

export interface CartStoreShape {
  /** The customer's cart; an empty one if they have none. */
  readonly get: (customerId: UserId) => Effect.Effect<Cart, PersistenceUnavailable>;
  /**
   * Applies every line write, reservation delta and the idempotency record of a change atomically,
   * or none. A line that is no longer the hold it was computed from (its hold id and version) fails
   * with CartVersionConflict; a positive delta larger than what is available with
   * InventoryInsufficientStock; a cart that would hold more than maxCartLines lines with
   * CartLineLimitExceeded, or a new line in another currency than the cart's with
   * CartCurrencyMismatch (both judged on the stored cart, whatever the change was computed from);
   * a record whose key already has one with IdempotencyKeyTaken; an `onSale` product that is archived
   * with ProductArchived.
   */
  readonly apply: (
    change: CartChange,
  ) => Effect.Effect<
    void,
    | CartVersionConflict
    | CartLineLimitExceeded
    | CartCurrencyMismatch
    | IdempotencyKeyTaken
    | InventoryInsufficientStock
    | ProductNotFound
    | ProductArchived
    | PersistenceUnavailable
  >;
  /** Unreleased holds that expired at or before `before`, of one product or all, soonest first. */
  readonly expiredHolds: (
    query: PageRequest & { readonly before: number; readonly productId?: ProductId | undefined },
  ) => Effect.Effect<Page<ExpiredHold>, PaginationCursorInvalid | PersistenceUnavailable>;
}
export class CartStore extends Context.Tag("cartwright/CartStore")<CartStore, CartStoreShape>() {}
