/** Route access: who may call a route is declared on the route and checked before its body is even parsed. */
import { Effect, Option } from "effect";
import type { FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { type Role, type UserId, UserStore } from "../../../domain/index.js";
import { requestDeadline } from "../../deadline.js";
import { AuthForbidden, AuthUnauthenticated } from "../errors.js";
import type { Run } from "../runtime.js";
import type { Principal, Tokens } from "./tokens.js";

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

/** Reads the role under the request's deadline (a guard runs before the handler sets one). */
export const storedRole =
  (run: Run, requestTimeoutMs: number): CurrentRole =>
  (userId) =>
    requestDeadline.run(requestDeadline.getStore() ?? Date.now() + requestTimeoutMs, () =>
      run(Effect.flatMap(UserStore, (users) => users.findById(userId)).pipe(Effect.map((user) => Option.getOrUndefined(Option.map(user, (u) => u.role))))),
    );

const bearer = (request: FastifyRequest): string | undefined => {
  const match = /^Bearer ([\w.~+/-]+=*)$/i.exec(request.headers.authorization ?? "");
  return match?.[1];
};

export const guard =
  (tokens: Tokens, access: Exclude<Access, "public">, currentRole: CurrentRole): onRequestAsyncHookHandler =>
  async (request) => {
    const token = bearer(request);
    if (token === undefined) throw new AuthUnauthenticated({ reason: request.headers.authorization ? "invalid" : "missing" });
    const principal = await tokens.verify(token);
    if (!principal) throw new AuthUnauthenticated({ reason: "invalid" });
    if (access !== "user" && principal.role !== access) throw new AuthForbidden({ required: access });
    // A token outlives a demotion (up to its TTL): admin power is checked against the store on every request.
    if (access === "admin") {
      const role = await currentRole(principal.userId);
      if (role === undefined) throw new AuthUnauthenticated({ reason: "unknown-user" });
      if (role !== access) throw new AuthForbidden({ required: access });
    }
    request.principal = principal;
  };
