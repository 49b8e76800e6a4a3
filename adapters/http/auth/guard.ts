/** Route access: who may call a route is declared on the route and checked before its body is even parsed. */
import { Effect, Either, Option } from "effect";
import type { FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { type IdentityShape, type Principal, rememberProfile, type Role, type UserId, UserStore } from "../../../domain/index.js";
import { requestDeadline } from "../../deadline.js";
import { AuthForbidden, AuthUnauthenticated } from "../errors.js";
import type { Run } from "../runtime.js";

/** "public": anyone; "user": any valid token; a role: a valid token with that role. */
export type Access = "public" | "user" | Role;

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the guard from a verified token; never from a body or a param. */
    principal: Principal | null;
  }
}

/** The user's role as the store has it now; undefined: no such user. */
export type CurrentRole = (userId: UserId) => Promise<Role | undefined>;

/** Runs under the request's deadline (a guard runs before the handler sets one). */
const underDeadline = <A>(requestTimeoutMs: number, f: () => Promise<A>): Promise<A> => requestDeadline.run(requestDeadline.getStore() ?? Date.now() + requestTimeoutMs, f);

/** Reads the role under the request's deadline. */
export const storedRole =
  (run: Run, requestTimeoutMs: number): CurrentRole =>
  (userId) =>
    underDeadline(requestTimeoutMs, () =>
      run(Effect.flatMap(UserStore, (users) => users.findById(userId)).pipe(Effect.map((user) => Option.getOrUndefined(Option.map(user, (u) => u.role))))),
    );

/** An identity effect as a promise: its typed failure thrown as is (problems.ts maps it). */
export const settle = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const result = await Effect.runPromise(Effect.either(effect));
  if (Either.isLeft(result)) throw result.left;
  return result.right;
};

const bearer = (request: FastifyRequest): string | undefined => {
  const match = /^Bearer ([\w.~+/-]+=*)$/i.exec(request.headers.authorization ?? "");
  return match?.[1];
};

export interface GuardDeps {
  readonly identity: IdentityShape;
  readonly run: Run;
  readonly requestTimeoutMs: number;
}

// People whose profile this instance has seen kept: the table is asked once per person per instance, not per request.
const profiledBy = new WeakMap<IdentityShape, Set<string>>();
const profiledSet = (identity: IdentityShape): Set<string> => {
  const known = profiledBy.get(identity) ?? new Set<string>();
  if (known.size > 10_000) known.clear();
  profiledBy.set(identity, known);
  return known;
};

export const guard = (deps: GuardDeps, access: Exclude<Access, "public">): onRequestAsyncHookHandler => {
  const currentRole = storedRole(deps.run, deps.requestTimeoutMs);
  return async (request) => {
    const token = bearer(request);
    if (token === undefined) throw new AuthUnauthenticated({ reason: request.headers.authorization ? "invalid" : "missing" });
    const principal = await settle(deps.identity.verify(token));
    if (!principal) throw new AuthUnauthenticated({ reason: "invalid" });
    if (access !== "user" && principal.role !== access) throw new AuthForbidden({ required: access });
    // A built-in token outlives a demotion (up to its TTL): admin power is checked against the store on every request.
    if (access === "admin" && deps.identity.roleFrom === "store") {
      const role = await currentRole(principal.userId);
      if (role === undefined) throw new AuthUnauthenticated({ reason: "unknown-user" });
      if (role !== access) throw new AuthForbidden({ required: access });
    }
    const profiled = profiledSet(deps.identity);
    if (deps.identity.roleFrom === "token" && !profiled.has(principal.userId)) {
      await underDeadline(deps.requestTimeoutMs, () => deps.run(rememberProfile(principal, deps.identity.profile(token))));
      profiled.add(principal.userId);
    }
    request.principal = principal;
  };
};
