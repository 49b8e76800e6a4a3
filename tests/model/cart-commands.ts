import type fc from "fast-check";
import { expect } from "vitest";
import { addToCart, changeQuantity, releaseExpiredHolds, removeFromCart, renewCart } from "../../domain/index.js";
import { outcome } from "../support/run.js";
import { type Model, available, canReserve, noteFalls } from "./state.js";
import { checkState, type Real } from "./system.js";

type Cmd = fc.AsyncCommand<Model, Real>;

const inRange = (q: number) => Number.isInteger(q) && q >= 1 && q <= 99;

export class AddToCart implements Cmd {
  constructor(readonly c: number, readonly p: number, readonly q: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const actual = outcome(await r.run(addToCart(r.customerId(this.c), r.productId(this.p), this.q)));
    const cart = m.carts[this.c]!;
    const line = cart.get(this.p);
    let expected = "ok";
    if (!inRange(this.q)) expected = "CartQuantityOutOfRange";
    else if (line && line.expiresAt <= m.now) expected = "CartLineExpired";
    else if (line && !inRange(line.qty + this.q)) expected = "CartQuantityOutOfRange";
    else if (!canReserve(m, this.p, this.q)) expected = "InventoryInsufficientStock";
    else {
      const before = available(m, this.p);
      if (line) line.qty += this.q;
      else cart.set(this.p, { qty: this.q, price: m.products[this.p]!.price, expiresAt: m.now + m.ttlMs, takenAt: m.now, released: false });
      noteFalls(m, [{ p: this.p, before, after: available(m, this.p) }]);
    }
    expect(actual).toBe(expected);
    await checkState(m, r);
  }
  toString = () => `AddToCart(c${this.c}, p${this.p}, ${this.q})`;
}

export class ChangeQuantity implements Cmd {
  constructor(readonly c: number, readonly p: number, readonly q: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const actual = outcome(await r.run(changeQuantity(r.customerId(this.c), r.productId(this.p), this.q)));
    const cart = m.carts[this.c]!;
    const line = cart.get(this.p);
    let expected = "ok";
    if (this.q === 0 && !line) expected = "CartLineNotFound";
    else if (this.q === 0) cart.delete(this.p);
    else if (!inRange(this.q)) expected = "CartQuantityOutOfRange";
    else if (!line) expected = "CartLineNotFound";
    else if (line.expiresAt <= m.now) expected = "CartLineExpired";
    else if (!canReserve(m, this.p, this.q - line.qty)) expected = "InventoryInsufficientStock";
    else {
      const before = available(m, this.p);
      const raise = this.q > line.qty;
      line.qty = this.q;
      if (raise) noteFalls(m, [{ p: this.p, before, after: available(m, this.p) }]);
    }
    expect(actual).toBe(expected);
    await checkState(m, r);
  }
  toString = () => `ChangeQuantity(c${this.c}, p${this.p}, ${this.q})`;
}

export class RemoveFromCart implements Cmd {
  constructor(readonly c: number, readonly p: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const actual = outcome(await r.run(removeFromCart(r.customerId(this.c), r.productId(this.p))));
    expect(actual).toBe(m.carts[this.c]!.delete(this.p) ? "ok" : "CartLineNotFound");
    await checkState(m, r);
  }
  toString = () => `RemoveFromCart(c${this.c}, p${this.p})`;
}

export class AdvanceClock implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    m.now += this.ms;
    r.clock.advance(this.ms);
  }
  toString = () => `AdvanceClock(${this.ms / 60_000} min)`;
}

export class SweepExpiredHolds implements Cmd {
  check = () => true;
  async run(m: Model, r: Real) {
    const report = await r.ok(releaseExpiredHolds(1000));
    let expected = 0;
    for (const cart of m.carts)
      for (const line of cart.values())
        if (!line.released && line.expiresAt <= m.now) {
          line.released = true;
          expected++;
        }
    expect(report).toEqual({ released: expected, skipped: 0 });
    await checkState(m, r);
  }
  toString = () => "SweepExpiredHolds";
}

export class RenewCart implements Cmd {
  constructor(readonly c: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const { report } = await r.ok(renewCart(r.customerId(this.c)));
    const expected: Array<[string, string]> = [];
    const falls: Array<{ p: number; before: number; after: number }> = [];
    for (const [p, line] of [...m.carts[this.c]!.entries()].sort(([a], [b]) => a - b)) {
      if (line.expiresAt > m.now) {
        const extended = Math.min(m.now + m.ttlMs, line.takenAt + 4 * m.ttlMs);
        expected.push([r.productId(p), extended > line.expiresAt ? "extended" : "at_limit"]);
        if (extended > line.expiresAt) line.expiresAt = extended;
        continue;
      }
      if (line.released && available(m, p) < line.qty) {
        expected.push([r.productId(p), "unavailable"]);
        continue;
      }
      const before = available(m, p);
      const reserves = line.released;
      Object.assign(line, { price: m.products[p]!.price, expiresAt: m.now + m.ttlMs, takenAt: m.now, released: false });
      if (reserves) falls.push({ p, before, after: available(m, p) });
      expected.push([r.productId(p), "renewed"]);
    }
    noteFalls(m, falls);
    expect(report.map((o) => [o.productId, o.outcome])).toEqual(expected);
    await checkState(m, r);
  }
  toString = () => `RenewCart(c${this.c})`;
}
