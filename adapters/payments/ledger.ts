/**
 * The simulated payment provider's books, in Stripe's shapes (PaymentIntents, refunds, events), so the
 * same webhook verification and mapping run offline. Used in-process by the simulated gateway (`npm start`
 * without Stripe keys, and tests) and behind HTTP by the tests' stand-in for the Stripe API.
 * Idempotency keys behave like Stripe's: the same key returns the first answer.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

export type IntentStatus = "requires_payment_method" | "processing" | "succeeded" | "canceled";

export interface StripeIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  status: IntentStatus;
  client_secret: string;
  metadata: Record<string, string>;
  created: number;
  last_payment_error: { message: string } | null;
}

export interface StripeRefund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  payment_intent: string;
  status: "succeeded";
  created: number;
}

export interface StripeEvent {
  id: string;
  object: "event";
  type: string;
  api_version: string;
  created: number;
  livemode: false;
  data: { object: StripeIntent };
}

/** Stripe's own answer when an operation does not fit the object's state. */
export class LedgerRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Books {
  intents: Record<string, StripeIntent>;
  refunds: Record<string, StripeRefund>;
  /** idempotency key → id of what it created */
  keys: Record<string, string>;
}

const id = (prefix: string) => `${prefix}_sim${randomBytes(12).toString("hex")}`;
const seconds = () => Math.floor(Date.now() / 1000);

export class SimulatedLedger {
  private books: Books = { intents: {}, refunds: {}, keys: {} };

  /** With a file, the books survive restarts of `npm start` (orders in DynamoDB Local do too). */
  constructor(private readonly file?: string) {
    if (file) {
      try {
        this.books = JSON.parse(readFileSync(file, "utf8")) as Books;
      } catch {
        // No books yet.
      }
    }
  }

  private save() {
    if (this.file) writeFileSync(this.file, JSON.stringify(this.books));
  }

  createIntent(input: { amount: number; currency: string; metadata: Record<string, string> }, key?: string): StripeIntent {
    const known = key ? this.books.keys[key] : undefined;
    if (known && this.books.intents[known]) return this.books.intents[known]!;
    const intentId = id("pi");
    const intent: StripeIntent = {
      id: intentId,
      object: "payment_intent",
      amount: input.amount,
      amount_received: 0,
      currency: input.currency.toLowerCase(),
      status: "requires_payment_method",
      client_secret: `${intentId}_secret_${randomBytes(8).toString("hex")}`,
      metadata: input.metadata,
      created: seconds(),
      last_payment_error: null,
    };
    this.books.intents[intentId] = intent;
    if (key) this.books.keys[key] = intentId;
    this.save();
    return intent;
  }

  intent(intentId: string): StripeIntent {
    const intent = this.books.intents[intentId];
    if (!intent) throw new LedgerRefusal("resource_missing", `No such payment_intent: '${intentId}'`);
    return intent;
  }

  cancel(intentId: string): StripeIntent {
    const intent = this.intent(intentId);
    if (intent.status === "succeeded")
      throw new LedgerRefusal("payment_intent_unexpected_state", "You cannot cancel this PaymentIntent because it has a status of succeeded.");
    intent.status = "canceled";
    this.save();
    return intent;
  }

  refund(input: { payment_intent: string; amount?: number }, key?: string): StripeRefund {
    const known = key ? this.books.keys[key] : undefined;
    if (known && this.books.refunds[known]) return this.books.refunds[known]!;
    const intent = this.intent(input.payment_intent);
    if (intent.status !== "succeeded") throw new LedgerRefusal("charge_not_succeeded", "This PaymentIntent has no successful charge to refund.");
    const refunded = this.refundsOf(intent.id).reduce((sum, r) => sum + r.amount, 0);
    const amount = input.amount ?? intent.amount_received - refunded;
    if (amount <= 0 || refunded + amount > intent.amount_received) throw new LedgerRefusal("charge_already_refunded", "Charge has already been refunded.");
    const refund: StripeRefund = { id: id("re"), object: "refund", amount, currency: intent.currency, payment_intent: intent.id, status: "succeeded", created: seconds() };
    this.books.refunds[refund.id] = refund;
    if (key) this.books.keys[key] = refund.id;
    this.save();
    return refund;
  }

  refundsOf(intentId: string): Array<StripeRefund> {
    return Object.values(this.books.refunds).filter((r) => r.payment_intent === intentId);
  }

  /** The latest intent created for an order (its metadata.orderId). */
  intentOfOrder(orderId: string): StripeIntent | undefined {
    return Object.values(this.books.intents)
      .filter((i) => i.metadata.orderId === orderId)
      .sort((a, b) => b.created - a.created)[0];
  }

  /**
   * The buyer pays (or the card is declined): the intent moves and the event Stripe would send is returned.
   * `amount` overrides what is received (to simulate a mismatch).
   */
  settle(intentId: string, outcome: "succeeded" | "failed", amount?: number): StripeEvent {
    const intent = this.intent(intentId);
    if (intent.status === "canceled" || intent.status === "succeeded")
      throw new LedgerRefusal("payment_intent_unexpected_state", `This PaymentIntent's status is ${intent.status}.`);
    if (outcome === "succeeded") {
      intent.status = "succeeded";
      intent.amount_received = amount ?? intent.amount;
      intent.last_payment_error = null;
    } else {
      intent.status = "requires_payment_method";
      intent.last_payment_error = { message: "Your card was declined." };
    }
    this.save();
    return this.event(outcome === "succeeded" ? "payment_intent.succeeded" : "payment_intent.payment_failed", intent);
  }

  event(type: string, intent: StripeIntent): StripeEvent {
    return { id: id("evt"), object: "event", type, api_version: "2026-10-28.endive", created: seconds(), livemode: false, data: { object: structuredClone(intent) } };
  }
}
