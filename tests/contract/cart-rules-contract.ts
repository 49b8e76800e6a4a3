import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import {
  CartStore,
  holdRef,
  IdempotencyOps,
  IdempotencyStore,
  maxCartLines,
  ProductStore,
  type CartChange,
  type CartLine,
  type Currency,
  type HoldId,
  type IdempotencyKey,
  type Money,
  type Timestamp,
  type UserId,
} from "../../domain/index.js";
import { customer, line, product, uniqueId } from "../support/fixtures.js";
import { outcome } from "../support/run.js";
import { getProduct, type ContractContext } from "./store-contract.js";

const apply = (change: CartChange) => Effect.flatMap(CartStore, (s) => s.apply(change));
const cartOf = (c: UserId) => Effect.flatMap(CartStore, (s) => s.get(c));
const priced = (currency: string) => ({ amount: 500, currency: currency as Currency }) as Money;

const adding = (c: UserId, ls: ReadonlyArray<CartLine>): CartChange => ({
  customerId: c,
  lines: ls.map((l) => ({ productId: l.productId, expected: null, next: l })),
  reservations: ls.map((l) => ({ productId: l.productId, delta: l.quantity })),
});

/** What a store guarantees about a cart whatever the change was computed from: hold identity, the line cap, one currency, one use per key. */
export const describeCartRulesContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: CartStore keeps its rules on the stored cart`, () => {
    const products = async (n: number, currency = "EUR") => {
      const ps = Array.from({ length: n }, () => product(uniqueId("p"), { stock: 5, price: priced(currency) }));
      for (const p of ps) await ctx.ok(Effect.flatMap(ProductStore, (s) => s.create(p)));
      return ps;
    };

    it("refuses a write computed from an earlier hold of a line removed and added again at the same version, changing nothing", async () => {
      const [p] = (await products(1)) as [ReturnType<typeof product>];
      const c = customer(uniqueId("c"));
      const first = line(p.id, { holdId: "hold-first" as HoldId, quantity: 3 as never });
      await ctx.ok(apply(adding(c, [first])));
      await ctx.ok(apply({ customerId: c, lines: [{ productId: p.id, expected: holdRef(first), next: null }], reservations: [{ productId: p.id, delta: -3 }] }));
      const second = line(p.id, { holdId: "hold-second" as HoldId, quantity: 1 as never });
      await ctx.ok(apply(adding(c, [second])));

      const staleRelease = { ...first, released: true, version: 2 };
      const stale: CartChange = { customerId: c, lines: [{ productId: p.id, expected: holdRef(first), next: staleRelease }], reservations: [{ productId: p.id, delta: -3 }] };
      expect(outcome(await ctx.run(apply(stale)))).toBe("CartVersionConflict");
      expect((await ctx.ok(cartOf(c))).lines).toEqual([second]);
      expect(await ctx.ok(getProduct(p.id))).toMatchObject({ stock: 5, reserved: 1 });
    });

    it(`never lets a cart grow past ${maxCartLines} lines, whatever the change was computed from (invariant: no transaction over 100 items)`, async () => {
      const ps = await products(maxCartLines + 1);
      const c = customer(uniqueId("c"));
      const ls = ps.map((p) => line(p.id));
      await ctx.ok(apply(adding(c, ls.slice(0, maxCartLines - 1))));
      expect(outcome(await ctx.run(apply(adding(c, ls.slice(maxCartLines - 1)))))).toBe("CartLineLimitExceeded");
      await ctx.ok(apply(adding(c, [ls[maxCartLines - 1]!])));
      expect(outcome(await ctx.run(apply(adding(c, [ls[maxCartLines]!]))))).toBe("CartLineLimitExceeded");
      expect((await ctx.ok(cartOf(c))).lines).toHaveLength(maxCartLines);
      expect((await ctx.ok(getProduct(ps[maxCartLines]!.id))).reserved).toBe(0);

      const last = ls[0]!;
      await ctx.ok(apply({ customerId: c, lines: [{ productId: last.productId, expected: holdRef(last), next: null }], reservations: [{ productId: last.productId, delta: -1 }] }));
      await ctx.ok(apply(adding(c, [ls[maxCartLines]!])));
      expect((await ctx.ok(cartOf(c))).lines).toHaveLength(maxCartLines);
    });

    it("keeps a cart in one currency: a line in another currency is refused while the cart holds lines, and allowed once it is empty", async () => {
      const [eur] = (await products(1, "EUR")) as [ReturnType<typeof product>];
      const [usd] = (await products(1, "USD")) as [ReturnType<typeof product>];
      const c = customer(uniqueId("c"));
      const euros = line(eur.id, { unitPrice: eur.price });
      const dollars = line(usd.id, { unitPrice: usd.price });
      await ctx.ok(apply(adding(c, [euros])));
      expect(await ctx.run(apply(adding(c, [dollars])))).toMatchObject({
        left: { _tag: "CartCurrencyMismatch", productId: usd.id, cartCurrency: "EUR", productCurrency: "USD" },
      });
      expect((await ctx.ok(getProduct(usd.id))).reserved).toBe(0);
      await ctx.ok(apply({ customerId: c, lines: [{ productId: eur.id, expected: holdRef(euros), next: null }], reservations: [{ productId: eur.id, delta: -1 }] }));
      await ctx.ok(apply(adding(c, [dollars])));
      expect((await ctx.ok(cartOf(c))).lines).toEqual([dollars]);
    });

    it("stores a change's idempotency record with it, and refuses another change under the same key, changing nothing", async () => {
      const [a, b] = (await products(2)) as [ReturnType<typeof product>, ReturnType<typeof product>];
      const c = customer(uniqueId("c"));
      const record = IdempotencyOps.record({ callerId: c, key: uniqueId("key") as IdempotencyKey }, `cart.add ${a.id} 1`, 100 as Timestamp);
      await ctx.ok(apply({ ...adding(c, [line(a.id)]), record }));
      expect(await ctx.ok(Effect.flatMap(IdempotencyStore, (s) => s.find(c, record.key)))).toMatchObject({ value: record });

      const twin = { ...adding(c, [line(b.id)]), record: { ...record, fingerprint: `cart.add ${b.id} 1` } };
      expect(outcome(await ctx.run(apply(twin)))).toBe("IdempotencyKeyTaken");
      expect((await ctx.ok(cartOf(c))).lines.map((l) => l.productId)).toEqual([a.id]);
      expect((await ctx.ok(getProduct(b.id))).reserved).toBe(0);
      expect(await ctx.ok(Effect.flatMap(IdempotencyStore, (s) => s.find(c, record.key)))).toMatchObject({ value: record });
    });
  });
