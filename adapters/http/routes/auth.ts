import { Effect, Option } from "effect";
import type { FastifyInstance } from "fastify";
import { createHash } from "node:crypto";
import { admitAttempt, admitLogin, IdentityManagedExternally, loginFailed, loginSucceeded, normalizeEmail, registerUser, type User, UserStore } from "../../../domain/index.js";
import { settle } from "../auth/guard.js";
import { hashPassword, makeDecoyHash, type ScryptParams, verifyPassword } from "../auth/password.js";
import { AuthInvalidCredentials, AuthUnauthenticated } from "../errors.js";
import { route, type RouteDeps } from "../route.js";
import { LoginBody, RegisterBody } from "../schemas.js";
import { AuthView, UserView } from "../views.js";

export interface AuthLimits {
  /** Failed logins and all registrations per client IP. */
  readonly perIp: { readonly max: number; readonly windowMs: number };
  /**
   * Failed logins per account (the email, hashed, whether it exists or not), whatever the IP. Past it, only an
   * address with no failed login in the window gets one try, so guessers elsewhere never lock the owner out.
   */
  readonly perAccount: { readonly max: number; readonly windowMs: number };
}

export const defaultAuthLimits: AuthLimits = { perIp: { max: 10, windowMs: 60_000 }, perAccount: { max: 10, windowMs: 15 * 60_000 } };

export interface AuthRouteOptions {
  /** Kept in the table (shared by every instance), or in memory in memory mode. */
  readonly limits: AuthLimits;
  readonly scrypt?: ScryptParams;
}

/** An account's limit key: a hash of the normalized email, so the table never holds emails that were only tried. */
const accountKey = (email: string) => `account:${createHash("sha256").update(normalizeEmail(email)).digest("hex").slice(0, 32)}`;

const tags = ["auth"];

export const authRoutes = (app: FastifyInstance, deps: RouteDeps, options: AuthRouteOptions): void => {
  let decoy: Promise<string> | undefined;
  const session = async (user: User) => ({ user, token: await settle(deps.identity.issue({ userId: user.id, role: user.role })) });
  // On a Cognito stack sign-up and sign-in are the user pool's: say where, before anything is counted or hashed.
  const provider = deps.identity.provider;
  const builtInOnly = () => {
    if (provider.kind === "cognito") throw new IdentityManagedExternally({ ...provider, provider: provider.kind });
  };

  route(app, deps, {
    method: "POST",
    url: "/auth/register",
    summary: "Create a customer account",
    tags,
    access: "public",
    noStore: true,
    body: RegisterBody,
    response: { status: 201, schema: AuthView, description: "The new customer and a bearer token" },
    handler: async ({ body, request }) => {
      builtInOnly();
      await deps.run(admitAttempt([{ key: `ip:${request.ip}:auth`, ...options.limits.perIp }]));
      const passwordHash = await hashPassword(body.password, options.scrypt);
      // Registration only ever creates customers; admins are provisioned out of band.
      const user = await deps.run(registerUser({ email: body.email, name: body.name, passwordHash, role: "customer" }));
      return session(user);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/auth/login",
    summary: "Exchange email and password for a bearer token",
    tags,
    access: "public",
    noStore: true,
    body: LoginBody,
    response: { status: 200, schema: AuthView, description: "The user and a bearer token" },
    handler: async ({ body, request }) => {
      builtInOnly();
      // Before anything about the account is looked up: a limited account answers alike whether it exists or not.
      const admission = await deps.run(admitLogin({ ip: `ip:${request.ip}:auth`, account: accountKey(body.email) }, options.limits));
      const found = await deps.run(Effect.flatMap(UserStore, (users) => users.findByEmail(body.email)));
      const hash = Option.isSome(found) ? found.value.passwordHash : await (decoy ??= makeDecoyHash(options.scrypt));
      if (Option.isNone(found) || !(await verifyPassword(body.password, hash))) {
        await deps.run(loginFailed(admission));
        throw new AuthInvalidCredentials();
      }
      await deps.run(loginSucceeded(admission));
      return session(found.value);
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/auth/me",
    summary: "The signed-in user",
    tags,
    access: "user",
    response: { status: 200, schema: UserView, description: "The user the token names (never its password hash)" },
    handler: async ({ principal }) => {
      const found = await deps.run(Effect.flatMap(UserStore, (users) => users.findById(principal.userId)));
      return Option.getOrThrowWith(found, () => new AuthUnauthenticated({ reason: "unknown-user" }));
    },
  });
};
