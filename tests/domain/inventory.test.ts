import { Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InventoryOps, maxStock, type Product } from "../../domain/index.js";
import { product } from "../support/fixtures.js";

type Op = { kind: "reserve" | "release" | "sell" | "restock" | "adjust"; n: number };
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom("reserve", "release", "sell", "restock", "adjust"),
  n: fc.integer({ min: -5, max: 8 }),
});

const applyOp = (p: Product, o: Op) => {
  const n = Math.abs(o.n);
  switch (o.kind) {
    case "reserve": return InventoryOps.reserve(p, n);
    case "release": return InventoryOps.release(p, n);
    case "sell": return InventoryOps.sell(p, n);
    case "restock": return InventoryOps.restock(p, n);
    case "adjust": return InventoryOps.adjustStock(p, o.n);
  }
};

describe("InventoryOps", () => {
  it("keeps 0 <= reserved <= stock after any sequence of operations, refusing the ones that would break it (invariant)", () => {
    fc.assert(
      fc.property(fc.nat(10), fc.array(op, { maxLength: 40 }), (stock, ops) => {
        let p = product("p", { stock });
        for (const o of ops) {
          const next = applyOp(p, o);
          if (Either.isRight(next)) p = next.right;
          expect(0 <= p.reserved && p.reserved <= p.stock).toBe(true);
        }
      }),
    );
  });

  it("rejects a reservation larger than what is available (invariant: no oversell)", () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), fc.integer({ min: 1, max: 40 }), (stock, held, q) => {
        const p = product("p", { stock: stock + held, reserved: held });
        const r = InventoryOps.reserve(p, q);
        if (q > stock) expect(r).toMatchObject({ _tag: "Left", left: { _tag: "InventoryInsufficientStock", requested: q, available: stock } });
        else expect(r).toEqual(Either.right({ ...p, reserved: held + q }));
      }),
    );
  });

  it("never lets an admin stock change take stock below reserved", () => {
    fc.assert(
      fc.property(fc.nat(20), fc.nat(20), fc.integer({ min: -40, max: 40 }), (free, held, delta) => {
        const p = product("p", { stock: free + held, reserved: held });
        const r = InventoryOps.adjustStock(p, delta);
        if (free + delta < 0) expect(r).toMatchObject({ _tag: "Left", left: { _tag: "InventoryStockBelowReserved" } });
        else expect(Either.getOrThrow(r).stock).toBe(free + held + delta);
      }),
    );
  });

  it(`keeps stock within 0..${maxStock} on every adjustment, restock and new product, refusing a change that would leave it (invariant: a product stays readable)`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: maxStock }), fc.integer({ min: -maxStock, max: 2 * maxStock }), (stock, delta) => {
        const p = product("p", { stock });
        const next = [InventoryOps.adjustStock(p, delta), ...(delta >= 0 ? [InventoryOps.restock(p, delta)] : [])];
        for (const r of next) {
          if (stock + delta > maxStock) expect(r).toMatchObject({ left: { _tag: "InventoryStockOutOfRange", stock, delta, max: maxStock } });
          else if (stock + delta >= 0) expect(Either.getOrThrow(r).stock).toBe(stock + delta);
        }
        expect(Either.isRight(InventoryOps.initialStock(p.id, stock + delta))).toBe(stock + delta >= 0 && stock + delta <= maxStock);
      }),
    );
  });

  it("moves a sale out of both stock and reserved, leaving available unchanged", () => {
    const sold = Either.getOrThrow(InventoryOps.sell(product("p", { stock: 5, reserved: 3 }), 2));
    expect(sold).toMatchObject({ stock: 3, reserved: 1 });
    expect(InventoryOps.available(sold)).toBe(2);
  });
});
