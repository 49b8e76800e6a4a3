import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heldOf, openShop, runOp, shopOp, soldOf, type Shop } from "../support/shop.js";

const stocks = fc.array(fc.nat(6), { minLength: 3, maxLength: 3 });
const ops = fc.array(shopOp, { maxLength: 40 });

/** Runs random use-case sequences on the memory stores and checks `invariant` after every step. */
const holdsAfterEveryStep = (invariant: (shop: Shop) => void) =>
  fc.assert(
    fc.asyncProperty(stocks, ops, async (initial, sequence) => {
      const shop = await openShop(initial);
      for (const op of sequence) {
        await runOp(shop, op);
        invariant(shop);
      }
      await shop.real.dispose();
    }),
    { numRuns: 150 },
  );

describe("Shop use cases over any sequence of operations", () => {
  it("conserve stock: initial stock + admin adjustments = stock now + units sold in non-cancelled orders", () =>
    holdsAfterEveryStep((shop) => {
      shop.initialStock.forEach((initial, i) => {
        const id = shop.real.productId(i);
        expect(initial + shop.adjustments[i]!).toBe(shop.db.products.get(id)!.stock + soldOf(shop.db, id));
      });
    }));

  it("keep reserved equal to the sum of unreleased holds, and 0 <= reserved <= stock", () =>
    holdsAfterEveryStep((shop) => {
      for (const product of shop.db.products.values()) {
        expect(product.reserved).toBe(heldOf(shop.db, product.id));
        expect(0 <= product.reserved && product.reserved <= product.stock).toBe(true);
      }
    }));

  it("never oversell: units sold never exceed the stock ever supplied", () =>
    holdsAfterEveryStep((shop) => {
      shop.initialStock.forEach((initial, i) => {
        expect(soldOf(shop.db, shop.real.productId(i))).toBeLessThanOrEqual(initial + shop.adjustments[i]!);
      });
    }));

  it("never make two orders from one idempotency key (invariant: idempotency)", () =>
    holdsAfterEveryStep((shop) => {
      for (const ids of shop.ordersByKey.values()) expect(ids.size).toBe(1);
      const keys = [...shop.db.orders.values()].map((o) => `${o.customerId}#${o.idempotencyKey}`);
      expect(new Set(keys).size).toBe(keys.length);
    }));

  it("never alter a hold's snapshot price or a stored order after a price change (invariant: snapshots)", async () => {
    await fc.assert(
      fc.asyncProperty(stocks, ops, async (initial, sequence) => {
        const shop = await openShop(initial);
        const holdPrices = new Map<string, number>();
        const orders = new Map<string, string>();
        for (const op of sequence) {
          await runOp(shop, op);
          for (const lines of shop.db.carts.values())
            for (const l of lines.values()) {
              expect(holdPrices.get(l.holdId) ?? l.unitPrice.amount).toBe(l.unitPrice.amount);
              holdPrices.set(l.holdId, l.unitPrice.amount);
            }
          for (const o of shop.db.orders.values()) {
            const lines = JSON.stringify(o.lines);
            expect(orders.get(o.id) ?? lines).toBe(lines);
            orders.set(o.id, lines);
          }
        }
        await shop.real.dispose();
      }),
      { numRuns: 150 },
    );
  });
});
