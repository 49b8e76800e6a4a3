import { Effect, Layer, Schema } from "effect";
import { DomainEvent, NotificationFailed, type Partner, PartnerWebhooks, type PartnerWebhooksShape } from "../../domain/index.js";
import { sign, signatureHeader } from "./signature.js";

export interface WebhookOptions {
  readonly urls: Partial<Record<Partner, string>>;
  /** Signs for every partner, unless `secretFor` gives the partner's own (on a stack: read from its SSM parameter). */
  readonly secret: string;
  readonly secretFor?: (partner: Partner) => Promise<string>;
  /** Attempts per event (3), each given `timeoutMs` (5 s), with doubling backoff from `backoffMs` (250 ms). */
  readonly attempts?: number;
  readonly timeoutMs?: number;
  readonly backoffMs?: number;
  readonly log?: (line: Record<string, unknown>) => void;
  /** Told every call made (each attempt) and, once set, every call a partner without a URL would have got (npm start's webhook log). */
  readonly record?: (delivery: WebhookDelivery) => void;
}

/** One call to a partner as sent: its headers and raw body, and what came back. */
export interface WebhookDelivery {
  readonly at: string;
  readonly partner: Partner;
  readonly url: string | undefined;
  readonly eventId: string;
  readonly type: string;
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The partner's HTTP status, or why there is none. */
  readonly answer: string;
}

export const notSent = "no URL configured: not sent";

const encode = Schema.encodeSync(DomainEvent);

class Retryable extends Error {}

/** The signed call for a partner: headers and raw body. */
const callOf = (secret: string, partner: Partner, event: DomainEvent) => {
  const body = JSON.stringify(encode(event));
  const headers = {
    "content-type": "application/json",
    [signatureHeader]: sign(secret, Math.floor(Date.now() / 1000), event.eventId, partner, body),
    "cartwright-recipient": partner,
    "cartwright-event-id": event.eventId,
    "cartwright-event-type": event.type,
  };
  return { headers, body };
};

type RecordCall = (call: { readonly headers: Record<string, string>; readonly body: string }, answer: string) => void;

/** One POST: 2xx is done; 5xx, 408, 429, a timeout or a network error may pass on retry; any other 4xx will not. */
const post = async (url: string, secret: string, partner: Partner, event: DomainEvent, timeoutMs: number, deadline: AbortSignal, record: RecordCall) => {
  const call = callOf(secret, partner, event);
  const response = await fetch(url, { method: "POST", ...call, signal: AbortSignal.any([deadline, AbortSignal.timeout(timeoutMs)]) }).catch((error: unknown) => {
    record(call, String(error));
    throw new Retryable(String(error));
  });
  record(call, `${response.status} ${response.statusText}`.trim());
  if (response.ok) return;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw retryable ? new Retryable(`partner answered ${response.status}`) : new Error(`partner refused with ${response.status}`);
};

/** Signed POSTs of the event to the partner's URL, retried a few times; a partner without a URL is only logged. */
export const httpWebhooks = (o: WebhookOptions): PartnerWebhooksShape => ({
  notify: (partner, event) =>
    Effect.tryPromise({
      // Interrupted (the consumer's deadline): the call in flight is aborted and no retry starts.
      try: async (deadline) => {
        const url = o.urls[partner];
        const secretOf = () => (o.secretFor === undefined ? Promise.resolve(o.secret) : o.secretFor(partner));
        const record = (attempt: number) => (call: { readonly headers: Record<string, string>; readonly body: string }, answer: string) =>
          o.record?.({ at: new Date().toISOString(), partner, url, eventId: event.eventId, type: event.type, attempt, ...call, answer });
        if (url === undefined) {
          if (o.record !== undefined) record(1)(callOf(await secretOf(), partner, event), notSent);
          return void o.log?.({ level: "info", msg: "webhook skipped: no URL for partner", partner, eventId: event.eventId, type: event.type });
        }
        const attempts = o.attempts ?? 3;
        const secret = await secretOf();
        for (let attempt = 1; ; attempt++) {
          try {
            await post(url, secret, partner, event, o.timeoutMs ?? 5_000, deadline, record(attempt));
            return void o.log?.({ level: "info", msg: "webhook delivered", partner, eventId: event.eventId, type: event.type, attempt });
          } catch (error) {
            if (!(error instanceof Retryable) || attempt >= attempts || deadline.aborted) throw error;
            await new Promise((resolve) => setTimeout(resolve, (o.backoffMs ?? 250) * 2 ** (attempt - 1)));
          }
        }
      },
      catch: (error) => new NotificationFailed({ consumer: `fulfilment:${partner}`, eventId: event.eventId, reason: error instanceof Error ? error.message : String(error) }),
    }),
});

export const HttpWebhooks = (o: WebhookOptions) => Layer.succeed(PartnerWebhooks, httpWebhooks(o));
