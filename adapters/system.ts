import { randomUUID } from "node:crypto";
import { Effect, Layer } from "effect";
import { Clock, IdGenerator, HoldPolicy, maxLineQuantity, PaymentPolicy, type Timestamp } from "../domain/index.js";

export const SystemClock = Layer.succeed(Clock, { now: Effect.sync(() => Date.now() as Timestamp) });

export const RandomIds = Layer.succeed(IdGenerator, { next: Effect.sync(() => randomUUID()) });

/** Without a limit given, only a line's own cap (99) applies: the deployed default (10) comes from configuration. */
export const holdPolicy = (holdTtlMs: number, maxUnitsPerProduct: number = maxLineQuantity) => Layer.succeed(HoldPolicy, { holdTtlMs, maxUnitsPerProduct });

/** The payment window (`paymentWindowMinutes`) and whether admins may mark orders paid by hand (off by default). */
export const paymentPolicy = (windowMs: number, manualPayments = false) => Layer.succeed(PaymentPolicy, { windowMs, manualPayments });

export const defaultPaymentWindowMs = 30 * 60 * 1000;
