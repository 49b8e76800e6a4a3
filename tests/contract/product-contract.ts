import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import { ProductStore, type ProductId } from "../../domain/index.js";
import { eur, product, uniqueId } from "../support/fixtures.js";
import { outcome } from "../support/run.js";
import type { ContractContext } from "./store-contract.js";

const store = ProductStore;

export const describeProductContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: ProductStore`, () => {
    it("stores a product and reads it back unchanged", async () => {
      const p = product(uniqueId("p"), { stock: 7 });
      await ctx.ok(Effect.flatMap(store, (s) => s.create(p)));
      const got = await ctx.ok(Effect.flatMap(store, (s) => s.get(p.id)));
      expect(Option.getOrThrow(got)).toEqual(p);
    });

    it("refuses to create a product whose id exists", async () => {
      const p = product(uniqueId("p"));
      await ctx.ok(Effect.flatMap(store, (s) => s.create(p)));
      expect(outcome(await ctx.run(Effect.flatMap(store, (s) => s.create({ ...p, name: "Other" }))))).toBe("ProductAlreadyExists");
    });

    it("returns none for an unknown product", async () => {
      const got = await ctx.ok(Effect.flatMap(store, (s) => s.get(uniqueId("missing") as ProductId)));
      expect(Option.isNone(got)).toBe(true);
    });

    it("updates price and name without touching the inventory counters", async () => {
      const p = product(uniqueId("p"), { stock: 5, reserved: 2 });
      await ctx.ok(Effect.flatMap(store, (s) => s.create(p)));
      const updated = await ctx.ok(Effect.flatMap(store, (s) => s.update(p.id, { price: eur(1999), name: "Renamed" })));
      expect(updated).toEqual({ ...p, price: eur(1999), name: "Renamed" });
      expect(outcome(await ctx.run(Effect.flatMap(store, (s) => s.update(uniqueId("x") as ProductId, { name: "n" }))))).toBe(
        "ProductNotFound",
      );
    });

    it("keeps a product's own hold limit (maxPerCustomer) through create, patch and read", async () => {
      const p = product(uniqueId("p"), { maxPerCustomer: 2 });
      await ctx.ok(Effect.flatMap(store, (s) => s.create(p)));
      expect(await ctx.ok(Effect.flatMap(store, (s) => s.update(p.id, { maxPerCustomer: 1 })))).toEqual({ ...p, maxPerCustomer: 1 });
      expect(Option.getOrThrow(await ctx.ok(Effect.flatMap(store, (s) => s.get(p.id))))).toEqual({ ...p, maxPerCustomer: 1 });
    });

    it("adjusts stock but never below what is reserved (invariant: reserved <= stock)", async () => {
      const p = product(uniqueId("p"), { stock: 5, reserved: 3 });
      await ctx.ok(Effect.flatMap(store, (s) => s.create(p)));
      expect((await ctx.ok(Effect.flatMap(store, (s) => s.adjustStock({ productId: p.id, delta: 4 })))).stock).toBe(9);
      expect(outcome(await ctx.run(Effect.flatMap(store, (s) => s.adjustStock({ productId: p.id, delta: -7 }))))).toBe("InventoryStockBelowReserved");
      expect((await ctx.ok(Effect.flatMap(store, (s) => s.adjustStock({ productId: p.id, delta: -6 })))).stock).toBe(3);
      expect(outcome(await ctx.run(Effect.flatMap(store, (s) => s.adjustStock({ productId: uniqueId("x") as ProductId, delta: 1 }))))).toBe(
        "ProductNotFound",
      );
    });

    it("lists a category in name order across pages, each product exactly once", async () => {
      const category = uniqueId("cat").toLowerCase();
      const names = ["delta", "alpha", "echo", "charlie", "bravo"];
      for (const n of names)
        await ctx.ok(Effect.flatMap(store, (s) => s.create(product(uniqueId("p"), { name: n, category }))));
      const seen: Array<string> = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.ok(Effect.flatMap(store, (s) => s.list({ category, limit: 2, cursor })));
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((p) => p.name));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual([...names].sort());
    });

    it("rejects a cursor that is garbage or was issued for another query", async () => {
      const a = uniqueId("cat").toLowerCase();
      for (let i = 0; i < 3; i++) await ctx.ok(Effect.flatMap(store, (s) => s.create(product(uniqueId("p"), { category: a }))));
      const page = await ctx.ok(Effect.flatMap(store, (s) => s.list({ category: a, limit: 1 })));
      expect(page.nextCursor).not.toBeNull();
      const other = await ctx.run(Effect.flatMap(store, (s) => s.list({ category: "other-category", limit: 1, cursor: page.nextCursor ?? "" })));
      expect(outcome(other)).toBe("PaginationCursorInvalid");
      expect(outcome(await ctx.run(Effect.flatMap(store, (s) => s.list({ category: a, limit: 1, cursor: "not-a-cursor" }))))).toBe(
        "PaginationCursorInvalid",
      );
    });

    it("reports products whose available units are below a threshold, scarcest first", async () => {
      const low = product(uniqueId("p"), { stock: 3, reserved: 2 });
      const lower = product(uniqueId("p"), { stock: 1, reserved: 1 });
      await ctx.ok(Effect.flatMap(store, (s) => s.create(low)));
      await ctx.ok(Effect.flatMap(store, (s) => s.create(lower)));
      const items: Array<{ id: string; available: number }> = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.ok(Effect.flatMap(store, (s) => s.lowStock(2, { limit: 50, cursor })));
        items.push(...page.items.map((p) => ({ id: p.id, available: p.stock - p.reserved })));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(items.every((i) => i.available < 2)).toBe(true);
      const ids = items.map((i) => i.id);
      expect(ids).toContain(low.id);
      expect(ids.indexOf(lower.id)).toBeLessThan(ids.indexOf(low.id));
    });
  });
