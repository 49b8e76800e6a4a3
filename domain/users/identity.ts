/**
 * Identity: who a bearer token names. Two providers serve it: the built-in accounts (our own tokens over
 * passwords kept in the table) and an external one (Amazon Cognito), where sign-up and sign-in are the provider's.
 */
import { Context, type Effect, Schema } from "effect";
import { UserId } from "../shared/ids.js";
import { Role } from "../orders/order.js";

/** The caller a verified token names: never from a body or a param. */
export const Principal = Schema.Struct({ userId: UserId, role: Role });
export type Principal = typeof Principal.Type;

/** Where users sign in. */
export type IdentityProvider =
  | { readonly kind: "built-in" }
  | {
      readonly kind: "cognito";
      readonly region: string;
      readonly userPoolId: string;
      readonly clientId: string;
      /** The managed login page, where the stack has one. */
      readonly signInUrl?: string | undefined;
    };

/** Register or log in on a stack whose accounts live with an external provider: sign in there instead. */
export class IdentityManagedExternally extends Schema.TaggedError<IdentityManagedExternally>()("IdentityManagedExternally", {
  provider: Schema.Literal("cognito"),
  region: Schema.String,
  userPoolId: Schema.String,
  clientId: Schema.String,
  signInUrl: Schema.optional(Schema.String),
}) {}

/** The provider's keys or profile could not be read (its endpoint unreachable): the next request tries again. */
export class IdentityProviderUnavailable extends Schema.TaggedError<IdentityProviderUnavailable>()("IdentityProviderUnavailable", {
  provider: Schema.Literal("built-in", "cognito"),
  reason: Schema.String,
}) {}

/** What the provider knows of a signed-in person, to keep their profile (name, email for order mail) in the table. */
export interface IdentityProfile {
  readonly email: string;
  readonly name: string;
}

export interface IdentityShape {
  readonly provider: IdentityProvider;
  /** The principal a token names, or undefined for anything forged, expired, for another client or pool, or malformed. */
  readonly verify: (token: string) => Effect.Effect<Principal | undefined, IdentityProviderUnavailable>;
  /** A session token for a user this app authenticated itself; an external provider issues its own. */
  readonly issue: (user: Principal) => Effect.Effect<string, IdentityManagedExternally | IdentityProviderUnavailable>;
  /** The provider's profile of the token's holder (external providers); undefined where the table is the source. */
  readonly profile: (token: string) => Effect.Effect<IdentityProfile | undefined, IdentityProviderUnavailable>;
  /** Whether the role in a token is the truth (a provider's groups), or the table's role is (built-in accounts). */
  readonly roleFrom: "token" | "store";
}
export class Identity extends Context.Tag("cartwright/Identity")<Identity, IdentityShape>() {}
