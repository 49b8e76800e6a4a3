/** Scheduled Lambda: releases expired stock holds so their units can be sold again, and cancels orders not paid in time. */
import { Layer, ManagedRuntime } from "effect";
import { expireUnpaidOrders, releaseExpiredHolds, type ExpiryReport, type ReleaseReport } from "../../domain/index.js";
import { loadSweeperConfig } from "../config.js";
import { paymentsFor } from "../payments/layer.js";
import { paymentPolicy, SystemClock } from "../system.js";
import { coldStartConfig } from "./cold-start.js";
import { log } from "./log.js";
import { storesFor } from "./stores.js";

// Each release is one small transaction; 1000 fit well inside a minute, and the next run takes the rest.
const limitPerRun = 1000;

const config = coldStartConfig(() => loadSweeperConfig(process.env));
const runtime = ManagedRuntime.make(
  Layer.mergeAll(storesFor({ ...config }), SystemClock, paymentsFor(config.payments.settings).layer, paymentPolicy(config.payments.windowMs, config.payments.manualPayments)),
);

export const handler = async (): Promise<ReleaseReport & { readonly unpaid: ExpiryReport }> => {
  const started = Date.now();
  const report = await runtime.runPromise(releaseExpiredHolds(limitPerRun));
  log("info", "released expired holds", { ...report, limit: limitPerRun, ms: Date.now() - started });
  const unpaid = await runtime.runPromise(expireUnpaidOrders(limitPerRun));
  log(unpaid.failed > 0 ? "warn" : "info", "cancelled unpaid orders", { ...unpaid, limit: limitPerRun, ms: Date.now() - started });
  return { ...report, unpaid };
};
