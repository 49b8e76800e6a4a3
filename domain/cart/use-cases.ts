import { Effect, Either, Option } from "effect";
import type { HoldId, IdempotencyKey, ProductId, Timestamp, UserId } from "../shared/ids.js";
import { Clock, HoldPolicy, IdGenerator } from "../shared/ports.js";
import { ProductStore } from "../inventory/ports.js";
import { ProductNotFound } from "../inventory/errors.js";
import type { Product } from "../inventory/product.js";
import type { Cart, CartChange } from "./cart.js";
import { CartConcurrentModification } from "./errors.js";
import { CartOps } from "./ops.js";
import { CartStore } from "./ports.js";
import { planRenewal, type RenewOutcome } from "./renew.js";
import { releaseExpiredHoldsOf } from "./release.js";
import { once } from "../idempotency/once.js";
import { lowStockEvents } from "../events/low-stock.js";
import type { IdempotencyRecord } from "../idempotency/record.js";

const maxAttempts = 3;

/**
 * Read the cart, compute a change, apply it atomically. A line that moved on is
 * re-read and recomputed (bounded); a reservation short of stock first releases
 * that product's expired holds and retries once (lazy release).
 */
const mutateCart = <E, R>(customerId: UserId, compute: (cart: Cart, now: Timestamp) => Effect.Effect<CartChange, E, R>) =>
  Effect.gen(function* () {
    const carts = yield* CartStore;
    const clock = yield* Clock;
    let lazyReleaseTried = false;
    for (let attempt = 1; ; attempt++) {
      const now = yield* clock.now;
      const cart = yield* carts.get(customerId);
      const change = yield* compute(cart, now);
      const result = yield* Effect.either(carts.apply(change));
      if (Either.isRight(result)) return CartOps.apply(cart, change);
      const error = result.left;
      if (error._tag === "CartVersionConflict") {
        if (attempt < maxAttempts) continue;
        return yield* new CartConcurrentModification({ customerId });
      }
      if (error._tag === "InventoryInsufficientStock" && !lazyReleaseTried) {
        lazyReleaseTried = true;
        // Retry even if we released nothing: a concurrent sweeper may have freed the units first.
        yield* releaseExpiredHoldsOf(error.productId as ProductId, now);
        continue;
      }
      return yield* Effect.fail(error);
    }
  });

/** The change with its StockLow event, for the reservations it makes on the products read. */
const withStockLow = (change: CartChange, now: Timestamp, read: ReadonlyArray<Product>) =>
  Effect.map(
    lowStockEvents(
      now,
      change.reservations.flatMap((r) => {
        const before = read.find((p) => p.id === r.productId);
        return before && r.delta > 0 ? [{ before, after: { ...before, reserved: before.reserved + r.delta } }] : [];
      }),
    ),
    (events): CartChange => (events.length === 0 ? change : { ...change, events }),
  );

const findProduct = (productId: ProductId) =>
  Effect.flatMap(ProductStore, (products) => products.get(productId)).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new ProductNotFound({ productId })), onSome: Effect.succeed })),
  );

export const getCart = (customerId: UserId) => Effect.flatMap(CartStore, (carts) => carts.get(customerId));

const addLine = (customerId: UserId, productId: ProductId, quantity: number, record: IdempotencyRecord | undefined) =>
  Effect.gen(function* () {
    const { holdTtlMs, maxUnitsPerProduct } = yield* HoldPolicy;
    const ids = yield* IdGenerator;
    return yield* mutateCart(customerId, (cart, now) =>
      Effect.gen(function* () {
        const product = yield* findProduct(productId);
        const holdId = (yield* ids.next) as HoldId;
        const added = yield* CartOps.addLine(cart, product, quantity, { now, ttlMs: holdTtlMs, holdId });
        const change = yield* CartOps.withinHoldLimit(added, product, product.maxPerCustomer ?? maxUnitsPerProduct);
        return yield* withStockLow({ ...(yield* CartOps.onSale(change, product)), record }, now, [product]);
      }),
    );
  });

/**
 * Put `quantity` more units in the cart. With an Idempotency-Key it happens once: a retry after a
 * lost reply gets the cart as it is now (`replayed`) instead of adding again.
 */
export const addToCart = (customerId: UserId, productId: ProductId, quantity: number, key?: IdempotencyKey) =>
  once(
    key === undefined ? undefined : { callerId: customerId, key },
    `cart.add ${productId} ${quantity}`,
    (record) => addLine(customerId, productId, quantity, record),
    () => getCart(customerId),
  );

export const changeQuantity = (customerId: UserId, productId: ProductId, quantity: number) =>
  Effect.flatMap(HoldPolicy, ({ maxUnitsPerProduct }) =>
    mutateCart(customerId, (cart, now) =>
      Effect.gen(function* () {
        const changed = yield* CartOps.changeQuantity(cart, productId, quantity, now);
        // Only a raise can take the product low or past its hold limit: only then is it read.
        if (!changed.reservations.some((r) => r.delta > 0)) return changed;
        const product = yield* findProduct(productId);
        const change = yield* CartOps.withinHoldLimit(changed, product, product.maxPerCustomer ?? maxUnitsPerProduct);
        return yield* withStockLow(yield* CartOps.onSale(change, product), now, [product]);
      }),
    ),
  );

export const removeFromCart = (customerId: UserId, productId: ProductId) =>
  mutateCart(customerId, (cart) => CartOps.removeLine(cart, productId));

export const clearCart = (customerId: UserId) => mutateCart(customerId, (cart) => CartOps.clear(cart));

/** Extend live lines (same price) and re-reserve expired ones at current prices; reports what changed per line. */
export const renewCart = (customerId: UserId) =>
  Effect.gen(function* () {
    const { holdTtlMs, maxHoldAgeMs } = yield* HoldPolicy;
    const ids = yield* IdGenerator;
    const products = yield* ProductStore;
    let report: ReadonlyArray<RenewOutcome> = [];
    const cart = yield* mutateCart(customerId, (cart, now) =>
      Effect.gen(function* () {
        // Live lines too: an archived product's hold is not extended.
        const found = yield* Effect.forEach(cart.lines, (l) => products.get(l.productId), { concurrency: 8 });
        const byId = new Map(found.flatMap(Option.toArray).map((p): [ProductId, Product] => [p.id, p]));
        const plan = yield* planRenewal(cart, byId, { now, ttlMs: holdTtlMs, maxAgeMs: maxHoldAgeMs, holdIdBase: yield* ids.next });
        report = plan.report;
        return yield* withStockLow(plan.change, now, [...byId.values()]);
      }),
    );
    return { cart, report };
  });
