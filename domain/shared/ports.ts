import { Context, type Effect } from "effect";
import type { Timestamp } from "./ids.js";

export interface ClockShape {
  readonly now: Effect.Effect<Timestamp>;
}
/** Wall time; a manual clock in tests. */
export class Clock extends Context.Tag("cartwright/Clock")<Clock, ClockShape>() {}

export interface IdGeneratorShape {
  readonly next: Effect.Effect<string>;
}
/** Unique ids for orders, holds and users. */
export class IdGenerator extends Context.Tag("cartwright/IdGenerator")<IdGenerator, IdGeneratorShape>() {}

export interface HoldPolicyShape {
  /** How long a reservation lasts (2 h by default, shorter in dev). */
  readonly holdTtlMs: number;
  /** How long after it was taken a live hold may still be extended to (renewal); by default 4 hold TTLs. */
  readonly maxHoldAgeMs: number;
  /** The most units of one product a customer may hold at once, unless the product sets its own. */
  readonly maxUnitsPerProduct: number;
  /** The most placed, unpaid orders a customer may have at once. */
  readonly maxUnpaidOrders: number;
}
export class HoldPolicy extends Context.Tag("cartwright/HoldPolicy")<HoldPolicy, HoldPolicyShape>() {}
