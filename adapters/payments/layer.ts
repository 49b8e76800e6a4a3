/** The payment gateway a process uses, chosen from configuration: Stripe, the simulated provider, or none. */
import { randomBytes } from "node:crypto";
import { Layer } from "effect";
import { PaymentGateway } from "../../domain/index.js";
import { SimulatedLedger } from "./ledger.js";
import { simulatedGateway, unconfiguredGateway } from "./simulated.js";
import { stripeFromParameter } from "./stripe-keys.js";
import { stripeGateway, type StripeSettings } from "./stripe.js";

export type PaymentSettings =
  | ({ readonly provider: "stripe" } & StripeSettings)
  /** On a stack: the keys in their SSM parameter, read on first use and re-read within the rotation bound. */
  | { readonly provider: "stripe"; readonly parameter: string; readonly publishableKey: string }
  | { readonly provider: "simulated"; readonly webhookSecret: string; readonly ledgerFile?: string | undefined }
  | { readonly provider: "none" };

export interface Payments {
  readonly layer: Layer.Layer<PaymentGateway>;
  /** The simulated provider's books (settled by `npm run pay`), when simulated. */
  readonly ledger?: SimulatedLedger;
  readonly webhookSecret?: string;
}

export const paymentsFor = (settings: PaymentSettings): Payments => {
  switch (settings.provider) {
    case "stripe":
      if ("parameter" in settings) return { layer: Layer.succeed(PaymentGateway, stripeFromParameter(settings.parameter, settings.publishableKey)) };
      return { layer: Layer.succeed(PaymentGateway, stripeGateway(settings)), webhookSecret: settings.webhookSecret };
    case "simulated": {
      const ledger = new SimulatedLedger(settings.ledgerFile);
      return { layer: Layer.succeed(PaymentGateway, simulatedGateway(ledger, settings.webhookSecret)), ledger, webhookSecret: settings.webhookSecret };
    }
    case "none":
      return { layer: Layer.succeed(PaymentGateway, unconfiguredGateway) };
  }
};

/** A simulated provider with a fresh ledger and secret (tests and in-memory runs). */
export const simulatedPayments = (): Payments & { readonly ledger: SimulatedLedger; readonly webhookSecret: string } => {
  const webhookSecret = `whsec_${randomBytes(24).toString("hex")}`;
  const ledger = new SimulatedLedger();
  return { layer: Layer.succeed(PaymentGateway, simulatedGateway(ledger, webhookSecret)), ledger, webhookSecret };
};
