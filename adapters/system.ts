import { randomUUID } from "node:crypto";
import { Effect, Layer } from "effect";
import { Clock, IdGenerator, HoldPolicy, maxLineQuantity, PaymentPolicy, type Timestamp } from "../domain/index.js";

export const SystemClock = Layer.succeed(Clock, { now: Effect.sync(() => Date.now() as Timestamp) });

export const RandomIds = Layer.succeed(IdGenerator, { next: Effect.sync(() => randomUUID()) });

/** Without limits given, only a line's own cap (99) applies: the deployed defaults (10 units, 3 unpaid orders) come from configuration. */
export const holdPolicy = (
  holdTtlMs: number,
  maxUnitsPerProduct: number = maxLineQuantity,
  maxUnpaidOrders: number = Number.MAX_SAFE_INTEGER,
  maxHoldAgeMs: number = defaultHoldAgeTtls * holdTtlMs,
) => Layer.succeed(HoldPolicy, { holdTtlMs, maxUnitsPerProduct, maxUnpaidOrders, maxHoldAgeMs });

/** A live hold may be extended until it is this many hold TTLs old, unless HOLD_MAX_AGE_SECONDS says otherwise. */
export const defaultHoldAgeTtls = 4;

/** The payment window (`paymentWindowMinutes`) and whether admins may mark orders paid by hand (off by default). */
export const paymentPolicy = (windowMs: number, manualPayments = false) => Layer.succeed(PaymentPolicy, { windowMs, manualPayments });

export const defaultPaymentWindowMs = 30 * 60 * 1000;
