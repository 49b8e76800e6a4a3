import { Effect, Option, Schema } from "effect";
import { Clock } from "../shared/ports.js";
import type { IdentityProfile, IdentityProviderUnavailable, Principal } from "./identity.js";
import { Email, normalizeEmail, PersonName, type User } from "./user.js";
import { UserStore } from "./ports.js";

const isEmail = Schema.is(Email);
const isName = Schema.is(PersonName);

/** A provider's profile as a user of ours: no password (the provider checks those), so it can never log in here. */
export const profileUser = (principal: Principal, profile: IdentityProfile, createdAt: User["createdAt"]): User | undefined => {
  const email = normalizeEmail(profile.email);
  const name = profile.name.trim();
  if (!isEmail(email)) return undefined;
  return { id: principal.userId, email, name: isName(name) ? name : email.split("@")[0]!, role: principal.role, passwordHash: "", createdAt };
};

/**
 * The profile of someone an external provider signed in (name, email for order mail): read from the provider
 * and kept in the table on their first request. A profile the table cannot take (an address already held by
 * another account) is not kept; the request goes on.
 */
export const rememberProfile = (principal: Principal, readProfile: Effect.Effect<IdentityProfile | undefined, IdentityProviderUnavailable>) =>
  Effect.gen(function* () {
    const users = yield* UserStore;
    if (Option.isSome(yield* users.findById(principal.userId))) return;
    const profile = yield* readProfile;
    if (profile === undefined) return;
    const user = profileUser(principal, profile, yield* Effect.flatMap(Clock, (c) => c.now));
    if (user === undefined) return;
    yield* users.create(user).pipe(Effect.catchTag("UserEmailTaken", () => Effect.void));
  });
