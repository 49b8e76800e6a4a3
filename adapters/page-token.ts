/**
 * The wire form of a pagination cursor, shared by both store adapters: a version byte, a 6-byte check over
 * the query's identity and the payload, then the payload (JSON, deflated when that is shorter), base64url.
 * The payload holds only the values a query cannot know (where reading stopped); attribute names, index
 * partitions and the query itself are implied by the query that reads it. So a cursor cannot point into
 * another partition whatever a client puts in it; the check only makes a cursor of another query, or a
 * damaged one, a clear `cursor_invalid` instead of a page from the wrong place.
 */
import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { Option } from "effect";

const version = 1;
const checkBytes = 6;
const plain = 0;
const deflated = 1;
// A cursor's payload is a few keys; anything larger did not come from us (and would cost memory to inflate).
const maxPayloadBytes = 4096;

const check = (identity: string, body: Buffer): Buffer =>
  createHash("sha256").update(identity).update("\u0000").update(body).digest().subarray(0, checkBytes);

export const sealCursor = (identity: string, payload: unknown): string => {
  const json = Buffer.from(JSON.stringify(payload), "utf8");
  const packed = deflateRawSync(json);
  const body = packed.length < json.length ? Buffer.concat([Buffer.of(deflated), packed]) : Buffer.concat([Buffer.of(plain), json]);
  return Buffer.concat([Buffer.of(version), check(identity, body), body]).toString("base64url");
};

/** The payload of a cursor this query issued; none for anything else. */
export const openCursor = (identity: string, raw: string): Option.Option<unknown> => {
  try {
    const bytes = Buffer.from(raw, "base64url");
    if (bytes.toString("base64url") !== raw || bytes.length < 2 + checkBytes || bytes[0] !== version) return Option.none();
    const body = bytes.subarray(1 + checkBytes);
    if (!check(identity, body).equals(bytes.subarray(1, 1 + checkBytes))) return Option.none();
    const json = body[0] === deflated ? inflateRawSync(body.subarray(1), { maxOutputLength: maxPayloadBytes }) : body.subarray(1);
    return body[0] === deflated || body[0] === plain ? Option.some(JSON.parse(json.toString("utf8")) as unknown) : Option.none();
  } catch {
    return Option.none();
  }
};
