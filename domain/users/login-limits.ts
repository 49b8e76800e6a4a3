/**
 * Login limits that slow guessing without locking the owner out: attempts are counted before the password is
 * checked (so a burst cannot outrun the count) and a right password takes its count back, so only failures stay.
 */
import { Effect } from "effect";
import type { Timestamp } from "../shared/ids.js";
import { Clock } from "../shared/ports.js";
import { AttemptCounter, TooManyAttempts } from "./limits.js";

export interface Window {
  readonly max: number;
  readonly windowMs: number;
}

export interface LoginLimits {
  /** Failed logins (and registrations) per client address. */
  readonly perIp: Window;
  /** Failed logins per account, whatever the address. */
  readonly perAccount: Window;
}

/** Keys of one login attempt: the client address and the account (the adapter hashes the email). */
export interface LoginKeys {
  readonly ip: string;
  readonly account: string;
}

/** What an admitted attempt counted, so its outcome can settle it. */
export interface LoginAdmission {
  readonly now: Timestamp;
  readonly counted: ReadonlyArray<{ readonly key: string; readonly windowMs: number }>;
  /** The address's failures over the account window: counted already when the account was over its limit. */
  readonly addressFailures: { readonly key: string; readonly windowMs: number; readonly counted: boolean };
}

const unbounded = Number.MAX_SAFE_INTEGER;
const refuse = (windowEndsAt: number, now: number) => new TooManyAttempts({ retryAfterSeconds: Math.max(1, Math.ceil((windowEndsAt - now) / 1000)) });

/**
 * Admits a login attempt or refuses it: the address over its limit is refused; an account over its limit
 * admits only an address with no failure in the account's window, once (that one try is what lets the owner in).
 */
export const admitLogin = (keys: LoginKeys, limits: LoginLimits) =>
  Effect.gen(function* () {
    const counter = yield* AttemptCounter;
    const now = yield* (yield* Clock).now;
    const ip = yield* counter.hit(keys.ip, limits.perIp.max, limits.perIp.windowMs, now);
    if (!ip.allowed) return yield* refuse(ip.windowEndsAt, now);
    const failuresKey = `${keys.ip}:failures`;
    const account = yield* counter.hit(keys.account, limits.perAccount.max, limits.perAccount.windowMs, now);
    if (account.allowed) {
      const counted = [{ key: keys.ip, windowMs: limits.perIp.windowMs }, { key: keys.account, windowMs: limits.perAccount.windowMs }];
      return { now, counted, addressFailures: { key: failuresKey, windowMs: limits.perAccount.windowMs, counted: false } } satisfies LoginAdmission;
    }
    // The conditional hit (max 1) admits a clean address once, atomically, however many of its requests race.
    const clean = yield* counter.hit(failuresKey, 1, limits.perAccount.windowMs, now);
    if (!clean.allowed) return yield* refuse(account.windowEndsAt, now);
    const counted = [{ key: keys.ip, windowMs: limits.perIp.windowMs }, { key: failuresKey, windowMs: limits.perAccount.windowMs }];
    return { now, counted, addressFailures: { key: failuresKey, windowMs: limits.perAccount.windowMs, counted: true } } satisfies LoginAdmission;
  });

/** A right password: nothing it counted stays, so successes never slow anyone. */
export const loginSucceeded = (admission: LoginAdmission) =>
  Effect.flatMap(AttemptCounter, (counter) => Effect.forEach(admission.counted, (c) => counter.forgive(c.key, c.windowMs, admission.now), { discard: true }));

/** A wrong password (or an unknown email): its counts stay, and the address now has a failure on record. */
export const loginFailed = (admission: LoginAdmission) =>
  Effect.flatMap(AttemptCounter, (counter) =>
    admission.addressFailures.counted ? Effect.void : Effect.asVoid(counter.hit(admission.addressFailures.key, unbounded, admission.addressFailures.windowMs, admission.now)),
  );
