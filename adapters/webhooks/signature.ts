/**
 * Webhook signatures (see README.md here): `Cartwright-Signature: t=<unix seconds>,v2=<hex>`, where v2 is
 * HMAC-SHA256 of `<t>.<event id>.<recipient>.<raw body>` with the recipient's own secret. The timestamp stops
 * replays; the event id makes the dedupe key partners use authentic; the recipient stops one partner from
 * passing a call it received (or forged with its own secret) to another.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const signatureHeader = "cartwright-signature";

const mac = (secret: string, t: number, eventId: string, recipient: string, body: string) =>
  createHmac("sha256", secret).update(`${t}.${eventId}.${recipient}.${body}`).digest("hex");

export const sign = (secret: string, timestampSeconds: number, eventId: string, recipient: string, body: string): string =>
  `t=${timestampSeconds},v2=${mac(secret, timestampSeconds, eventId, recipient, body)}`;

export interface ReceivedCall {
  /** The `Cartwright-Signature` header. */
  readonly signature: string;
  /** The `Cartwright-Event-Id` header. */
  readonly eventId: string;
  readonly rawBody: string;
}

/**
 * True only for a call signed with `secret` for recipient `me` (the verifier's own name, never read from the
 * call) over exactly this event id and body, no more than `toleranceSeconds` from `nowSeconds`.
 */
export const verifyWebhookSignature = (secret: string, me: string, call: ReceivedCall, nowSeconds: number, toleranceSeconds = 300): boolean => {
  const parts = Object.fromEntries(call.signature.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts["t"]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || typeof parts["v2"] !== "string") return false;
  const expected = Buffer.from(mac(secret, t, call.eventId, me, call.rawBody), "hex");
  const given = Buffer.from(parts["v2"], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
};
