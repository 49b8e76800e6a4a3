import { Layer } from "effect";
import { simulatedPayments } from "../../adapters/payments/layer.js";
import { paymentPolicy } from "../../adapters/system.js";

/**
 * A simulated provider and a payment policy for runtimes built by tests. Manual payments are on by
 * default here: tests of the lifecycle move placed → paid by hand; payment tests turn it off.
 */
export const testPayments = (options: { readonly manual?: boolean; readonly windowMs?: number } = {}) =>
  Layer.merge(simulatedPayments().layer, paymentPolicy(options.windowMs ?? 30 * 60_000, options.manual ?? true));
