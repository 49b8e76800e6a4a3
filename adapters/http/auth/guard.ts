/** Route access: who may call a route is declared on the route and checked before its body is even parsed. */
import type { FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import type { Role } from "../../../domain/index.js";
import { AuthForbidden, AuthUnauthenticated } from "../errors.js";
import type { Principal, Tokens } from "./tokens.js";

/** "public": anyone; "user": any valid token; a role: a valid token with that role. */
export type Access = "public" | "user" | Role;

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the guard from a verified token; never from a body or a param. */
    principal: Principal | null;
  }
}

const bearer = (request: FastifyRequest): string | undefined => {
  const match = /^Bearer ([\w.~+/-]+=*)$/i.exec(request.headers.authorization ?? "");
  return match?.[1];
};

export const guard =
  (tokens: Tokens, access: Exclude<Access, "public">): onRequestAsyncHookHandler =>
  async (request) => {
    const token = bearer(request);
    if (token === undefined) throw new AuthUnauthenticated({ reason: request.headers.authorization ? "invalid" : "missing" });
    const principal = await tokens.verify(token);
    if (!principal) throw new AuthUnauthenticated({ reason: "invalid" });
    if (access !== "user" && principal.role !== access) throw new AuthForbidden({ required: access });
    request.principal = principal;
  };
