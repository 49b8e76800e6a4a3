import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import { CartStore, type Product, ProductStore, type Timestamp } from "../../domain/index.js";
import { customer, line, product, uniqueId } from "../support/fixtures.js";
import { outcome } from "../support/run.js";
import { allPages, type ContractContext } from "./store-contract.js";

const at = 1_000 as Timestamp;

export const describeCatalogContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: ProductStore.setArchived, adminList, categories`, () => {
    const create = (p: Product) => ctx.ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
    const countOf = async (category: string) =>
      (await ctx.ok(Effect.flatMap(ProductStore, (s) => s.categories()))).find((c) => c.category === category)?.products ?? 0;
    const admin = (q: { category: string; archived?: boolean }) =>
      allPages((cursor) => ctx.ok(Effect.flatMap(ProductStore, (s) => s.adminList({ ...q, limit: 2, cursor }))));

    it("takes an archived product out of the catalog list and its category count, keeps it readable by id, and puts it back on unarchive", async () => {
      const category = uniqueId("cat").toLowerCase();
      const [a, b] = [product(uniqueId("p"), { name: "a", category }), product(uniqueId("p"), { name: "b", category })];
      await create(a);
      await create(b);

      const archived = await ctx.ok(Effect.flatMap(ProductStore, (s) => s.setArchived(a.id, at)));
      const again = await ctx.ok(Effect.flatMap(ProductStore, (s) => s.setArchived(a.id, 2_000 as Timestamp)));
      const listed = await ctx.ok(Effect.flatMap(ProductStore, (s) => s.list({ category, limit: 10 })));

      expect(archived).toEqual({ ...a, archivedAt: at });
      expect(again).toEqual(archived);
      expect(listed.items.map((p) => p.id)).toEqual([b.id]);
      expect(await countOf(category)).toBe(1);
      expect(Option.getOrThrow(await ctx.ok(Effect.flatMap(ProductStore, (s) => s.get(a.id))))).toEqual(archived);
      expect((await admin({ category, archived: true })).map((p) => p.id)).toEqual([a.id]);
      expect((await admin({ category, archived: false })).map((p) => p.id)).toEqual([b.id]);
      expect((await admin({ category })).map((p) => p.id)).toEqual([a.id, b.id]);

      expect(await ctx.ok(Effect.flatMap(ProductStore, (s) => s.setArchived(a.id, null)))).toEqual(a);
      expect(await countOf(category)).toBe(2);
      expect(outcome(await ctx.run(Effect.flatMap(ProductStore, (s) => s.setArchived(uniqueId("none") as never, at))))).toBe("ProductNotFound");
    });

    it("keeps each category's count equal to its listed products through concurrent archives, unarchives and category moves (invariant: count = listed products)", async () => {
      const [c1, c2] = [uniqueId("cat").toLowerCase(), uniqueId("cat").toLowerCase()];
      const ps = Array.from({ length: 4 }, () => product(uniqueId("p"), { category: c1 }));
      for (const p of ps) await create(p);

      await Promise.all([
        ...ps.map((p) => ctx.run(Effect.flatMap(ProductStore, (s) => s.setArchived(p.id, at)))),
        ...ps.slice(0, 2).map((p) => ctx.run(Effect.flatMap(ProductStore, (s) => s.update(p.id, { category: c2 })))),
        ctx.run(Effect.flatMap(ProductStore, (s) => s.setArchived(ps[3]!.id, null))),
      ]);

      for (const category of [c1, c2]) {
        const listed = await allPages((cursor) => ctx.ok(Effect.flatMap(ProductStore, (s) => s.list({ category, limit: 10, cursor }))));
        expect(await countOf(category)).toBe(listed.length);
      }
      expect((await admin({ category: c2 })).length).toBe(2);
    });

    it("refuses a cart change that needs an archived product on sale, whether it reserves units or only renews a hold (ProductArchived)", async () => {
      const p = product(uniqueId("p"), { stock: 5 });
      await create(p);
      const c = customer(uniqueId("c"));
      const held = line(p.id, { expiresAt: 5_000 as never });
      await ctx.ok(Effect.flatMap(CartStore, (s) => s.apply({ customerId: c, lines: [{ productId: p.id, expected: null, next: held }], reservations: [{ productId: p.id, delta: 1 }] })));
      await ctx.ok(Effect.flatMap(ProductStore, (s) => s.setArchived(p.id, at)));

      const other = customer(uniqueId("c"));
      const add = { customerId: other, lines: [{ productId: p.id, expected: null, next: line(p.id) }], reservations: [{ productId: p.id, delta: 1 }], onSale: [p.id] };
      const extend = { customerId: c, lines: [{ productId: p.id, expected: { holdId: held.holdId, version: 1 }, next: { ...held, expiresAt: 9_000 as never, version: 2 } }], reservations: [], onSale: [p.id] };

      expect(outcome(await ctx.run(Effect.flatMap(CartStore, (s) => s.apply(add))))).toBe("ProductArchived");
      expect(outcome(await ctx.run(Effect.flatMap(CartStore, (s) => s.apply(extend))))).toBe("ProductArchived");
      expect((await ctx.ok(Effect.flatMap(CartStore, (s) => s.get(c)))).lines).toEqual([held]);
      expect(Option.getOrThrow(await ctx.ok(Effect.flatMap(ProductStore, (s) => s.get(p.id))))).toMatchObject({ reserved: 1 });
    });
  });
