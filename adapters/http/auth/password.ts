/** Password hashing with scrypt (node:crypto): random salt, parameters stored with the hash, constant-time check. */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

export interface ScryptParams {
  /** CPU/memory cost, a power of two; memory used is 128 * N * r bytes. */
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

// 2^15 * 8 * 128 B = 32 MiB per hash: OWASP's scrypt floor is N=2^17 (128 MiB), too much for a small Lambda.
export const defaultScryptParams: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const keyLength = 32;

const scrypt = (password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
    scryptCallback(password.normalize("NFKC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** `scrypt$N$r$p$salt$hash` (base64url), so parameters can change without breaking stored hashes. */
export const hashPassword = async (password: string, params: ScryptParams = defaultScryptParams): Promise<string> => {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
};

const parse = (stored: string) => {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const valid = scheme === "scrypt" && salt && hash && [params.N, params.r, params.p].every((x) => Number.isSafeInteger(x) && x > 0);
  return valid ? { params, salt: Buffer.from(salt, "base64url"), hash: Buffer.from(hash, "base64url") } : undefined;
};

export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const parsed = parse(stored);
  if (!parsed || parsed.hash.length !== keyLength) return false;
  const key = await scrypt(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.hash);
};

/** Spends the time of a real check when there is no user, so response times do not reveal which emails exist. */
export const makeDecoyHash = (params: ScryptParams = defaultScryptParams): Promise<string> =>
  hashPassword(randomBytes(16).toString("base64url"), params);
