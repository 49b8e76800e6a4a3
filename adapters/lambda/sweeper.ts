/** Scheduled Lambda: releases expired stock holds so their units can be sold again, cancels orders not paid in time, and makes the refunds orders owe. */
import { Effect, Layer, ManagedRuntime } from "effect";
import { currentDeadline, lambdaDeadline } from "../deadline.js";
import { expireUnpaidOrders, refundOwedPayments, releaseExpiredHolds, type ExpiryReport, type RefundReport, type ReleaseReport } from "../../domain/index.js";
import { loadSweeperConfig } from "../config.js";
import { paymentsFor } from "../payments/layer.js";
import { paymentPolicy, SystemClock } from "../system.js";
import { coldStartConfig } from "./cold-start.js";
import { log } from "./log.js";
import { storesFor } from "./stores.js";

// Each release is one small transaction; 1000 fit well inside a minute, and the next run takes the rest.
const limitPerRun = 1000;

const config = coldStartConfig(() => loadSweeperConfig(process.env));
const layer = Layer.mergeAll(storesFor({ ...config }), SystemClock, paymentsFor(config.payments.settings).layer, paymentPolicy(config.payments.windowMs, config.payments.manualPayments));
const runtime = ManagedRuntime.make(layer);

/**
 * The three jobs run under the invocation's deadline: store calls stop before the function would time out,
 * and the run fails with the cause logged (what it did is committed; the next run takes the rest).
 */
export const handler = async (_event?: unknown, context?: { getRemainingTimeInMillis(): number }): Promise<ReleaseReport & { readonly unpaid: ExpiryReport; readonly refunds: RefundReport }> => {
  const started = Date.now();
  const timed = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof layer>>) =>
    runtime.runPromise(context ? Effect.locally(effect, currentDeadline, lambdaDeadline(context)) : effect);
  try {
    const report = await timed(releaseExpiredHolds(limitPerRun));
    log("info", "released expired holds", { ...report, limit: limitPerRun, ms: Date.now() - started });
    const unpaid = await timed(expireUnpaidOrders(limitPerRun));
    log(unpaid.failed > 0 ? "error" : "info", "cancelled unpaid orders", { ...unpaid, limit: limitPerRun, ms: Date.now() - started });
    const refunds = await timed(refundOwedPayments(limitPerRun));
    // A refund that failed once is retried next run (warn); one owed for half an hour keeps failing (error: alarmed).
    log(refunds.overdue > 0 ? "error" : refunds.failed > 0 ? "warn" : "info", "made owed refunds", { ...refunds, limit: limitPerRun, ms: Date.now() - started });
    return { ...report, unpaid, refunds };
  } catch (error) {
    log("error", "sweep stopped", { cause: error instanceof Error ? error.message : String(error), ms: Date.now() - started });
    throw error;
  }
};
