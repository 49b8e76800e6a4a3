import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { CartStore, holdRef, ProductStore, type CartChange, type ProductId, type UserId, type CartLine } from "../../domain/index.js";
import { customer, line, product, uniqueId } from "../support/fixtures.js";
import { outcome } from "../support/run.js";
import { allPages, getProduct, type ContractContext } from "./store-contract.js";

const apply = (change: CartChange) => Effect.flatMap(CartStore, (s) => s.apply(change));
const cartOf = (c: UserId) => Effect.flatMap(CartStore, (s) => s.get(c));

const addLine = (c: UserId, l: CartLine): CartChange => ({
  customerId: c,
  lines: [{ productId: l.productId, expected: null, next: l }],
  reservations: [{ productId: l.productId, delta: l.quantity }],
});

export const describeCartContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: CartStore`, () => {
    const setup = async (stock = 5) => {
      const p = product(uniqueId("p"), { stock });
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
      return { p, c: customer(uniqueId("c")) };
    };

    it("gives an empty cart to a customer who has none", async () => {
      const c = customer(uniqueId("c"));
      expect(await ctx.ok(cartOf(c))).toEqual({ customerId: c, lines: [] });
    });

    it("stores a line and reserves its units in one change", async () => {
      const { p, c } = await setup();
      const l = line(p.id, { quantity: 3 as never });
      await ctx.ok(apply(addLine(c, l)));
      expect((await ctx.ok(cartOf(c))).lines).toEqual([l]);
      expect((await ctx.ok(getProduct(p.id))).reserved).toBe(3);
    });

    it("refuses a reservation larger than what is available and changes nothing (invariant: no oversell)", async () => {
      const { p, c } = await setup(2);
      const result = await ctx.run(apply(addLine(c, line(p.id, { quantity: 3 as never }))));
      expect(result).toMatchObject({ _tag: "Left", left: { _tag: "InventoryInsufficientStock", productId: p.id, requested: 3, available: 2 } });
      expect((await ctx.ok(cartOf(c))).lines).toEqual([]);
      expect((await ctx.ok(getProduct(p.id))).reserved).toBe(0);
    });

    it("refuses a change computed from a line version that moved on, and changes nothing", async () => {
      const { p, c } = await setup();
      const l = line(p.id);
      await ctx.ok(apply(addLine(c, l)));
      const again = await ctx.run(apply(addLine(c, { ...l, quantity: 2 as never })));
      expect(outcome(again)).toBe("CartVersionConflict");
      const stale: CartChange = {
        customerId: c,
        lines: [{ productId: p.id, expected: { holdId: l.holdId, version: 7 }, next: { ...l, quantity: 4 as never, version: 8 } }],
        reservations: [{ productId: p.id, delta: 3 }],
      };
      expect(outcome(await ctx.run(apply(stale)))).toBe("CartVersionConflict");
      expect((await ctx.ok(cartOf(c))).lines).toEqual([l]);
      expect((await ctx.ok(getProduct(p.id))).reserved).toBe(1);
    });

    it("applies all lines of a change or none of them (atomicity)", async () => {
      const a = await setup(5);
      const b = await setup(1);
      const c = a.c;
      const change: CartChange = {
        customerId: c,
        lines: [
          { productId: a.p.id, expected: null, next: line(a.p.id, { quantity: 2 as never }) },
          { productId: b.p.id, expected: null, next: line(b.p.id, { quantity: 2 as never }) },
        ],
        reservations: [
          { productId: a.p.id, delta: 2 },
          { productId: b.p.id, delta: 2 },
        ],
      };
      expect(outcome(await ctx.run(apply(change)))).toBe("InventoryInsufficientStock");
      expect((await ctx.ok(cartOf(c))).lines).toEqual([]);
      expect((await ctx.ok(getProduct(a.p.id))).reserved).toBe(0);
    });

    it("fails with ProductNotFound when a reservation names an unknown product", async () => {
      const c = customer(uniqueId("c"));
      const ghost = uniqueId("ghost") as ProductId;
      expect(outcome(await ctx.run(apply(addLine(c, line(ghost)))))).toBe("ProductNotFound");
      expect((await ctx.ok(cartOf(c))).lines).toEqual([]);
    });

    it("deletes a line and releases its units", async () => {
      const { p, c } = await setup();
      const l = line(p.id, { quantity: 2 as never });
      await ctx.ok(apply(addLine(c, l)));
      await ctx.ok(apply({ customerId: c, lines: [{ productId: p.id, expected: holdRef(l), next: null }], reservations: [{ productId: p.id, delta: -2 }] }));
      expect((await ctx.ok(cartOf(c))).lines).toEqual([]);
      expect((await ctx.ok(getProduct(p.id))).reserved).toBe(0);
    });

    it("lists unreleased holds that expired by a time, of one product, and drops them once released", async () => {
      const { p, c } = await setup();
      const other = customer(uniqueId("c"));
      await ctx.ok(apply(addLine(c, line(p.id, { expiresAt: 1000 as never }))));
      await ctx.ok(apply(addLine(other, line(p.id, { expiresAt: 5000 as never }))));
      const expired = await ctx.ok(Effect.flatMap(CartStore, (s) => s.expiredHolds({ before: 2000, productId: p.id, limit: 10 })));
      expect(expired.items.map((h) => h.customerId)).toEqual([c]);
      const all = await allPages((cursor) => ctx.ok(Effect.flatMap(CartStore, (s) => s.expiredHolds({ before: 2000, limit: 25, cursor }))));
      expect(all.some((h) => h.customerId === c && h.line.productId === p.id)).toBe(true);
      expect(all.some((h) => h.customerId === other)).toBe(false);
      const held = line(p.id, { expiresAt: 1000 as never });
      const released = { ...held, released: true, version: 2 };
      await ctx.ok(apply({ customerId: c, lines: [{ productId: p.id, expected: holdRef(held), next: released }], reservations: [{ productId: p.id, delta: -1 }] }));
      const after = await ctx.ok(Effect.flatMap(CartStore, (s) => s.expiredHolds({ before: 2000, productId: p.id, limit: 10 })));
      expect(after.items).toEqual([]);
      expect((await ctx.ok(cartOf(c))).lines).toEqual([released]);
      expect((await ctx.ok(getProduct(p.id))).reserved).toBe(1);
    });
  });
