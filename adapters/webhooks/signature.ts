/**
 * Webhook signatures (see README.md here): `Cartwright-Signature: t=<unix seconds>,v1=<hex>`, where v1 is
 * HMAC-SHA256 of `<t>.<raw body>` with the shared secret. Verifying the time as well stops replays.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const signatureHeader = "cartwright-signature";

export const sign = (secret: string, timestampSeconds: number, body: string): string =>
  `t=${timestampSeconds},v1=${createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex")}`;

/** True only for a header made with `secret` over exactly `rawBody`, no more than `toleranceSeconds` from `nowSeconds`. */
export const verifyWebhookSignature = (secret: string, header: string, rawBody: string, nowSeconds: number, toleranceSeconds = 300): boolean => {
  const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts["t"]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || typeof parts["v1"] !== "string") return false;
  const expected = Buffer.from(sign(secret, t, rawBody).split("v1=")[1]!, "hex");
  const given = Buffer.from(parts["v1"], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
};
