/**
 * One declaration per route: access, request schemas, response schema. From it come the Fastify route,
 * its OpenAPI description (JSON Schema generated from the same Effect Schemas), decoding and encoding.
 */
import { Either, Schema } from "effect";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { guard, type Access } from "./auth/guard.js";
import type { Principal, Tokens } from "./auth/tokens.js";
import { decodePart, toJsonSchema, type JsonSchema } from "./decode.js";
import type { RequestPart } from "./errors.js";
import { problemContentType } from "./problems.js";
import type { Run } from "./runtime.js";
import { ProblemView } from "./views.js";

/** What every route handler can use. */
export interface RouteDeps {
  readonly run: Run;
  readonly tokens: Tokens;
  /** Attach the JSON Schemas (the docs app); the serving app skips generating them at cold start. */
  readonly describe?: boolean;
}

// A schema's encoded side differs per route; only its decoded side matters here.
type AnySchema<A> = Schema.Schema<A, any>;

export interface Input<P, Q, B, H, Acc extends Access> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly headers: H;
  readonly principal: Acc extends "public" ? null : Principal;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteSpec<P, Q, B, H, R, Acc extends Access> {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly url: string;
  readonly summary: string;
  readonly tags: ReadonlyArray<string>;
  readonly access: Acc;
  readonly params?: AnySchema<P>;
  readonly query?: AnySchema<Q>;
  readonly body?: AnySchema<B>;
  /** An absent body decodes as `{}` (the body's fields are all optional). */
  readonly bodyOptional?: boolean;
  readonly headers?: AnySchema<H>;
  readonly response: { readonly status: number; readonly schema: AnySchema<R>; readonly description: string };
  /** Per-IP limit (e.g. login): at most `max` requests per `timeWindowMs`. */
  readonly rateLimit?: { readonly max: number; readonly timeWindowMs: number };
  readonly handler: (input: Input<P, Q, B, H, Acc>) => Promise<R>;
}

const decodeOrThrow = <A>(schema: AnySchema<A> | undefined, part: RequestPart, value: unknown): A => {
  if (schema === undefined) return undefined as A;
  const result = decodePart(schema, part, value);
  if (Either.isLeft(result)) throw result.left;
  return result.right;
};

const jsonContent = (schema: JsonSchema, type = "application/json") => ({ content: { [type]: { schema } } });

const problemJson = () => jsonContent(toJsonSchema(ProblemView), problemContentType);

const openApiSchema = <P, Q, B, H, R, Acc extends Access>(spec: RouteSpec<P, Q, B, H, R, Acc>) => ({
  summary: spec.summary,
  tags: [...spec.tags],
  ...(spec.access === "public" ? {} : { security: [{ bearerAuth: [] }] }),
  ...(spec.params ? { params: toJsonSchema(spec.params) } : {}),
  ...(spec.query ? { querystring: toJsonSchema(spec.query) } : {}),
  ...(spec.body ? { body: toJsonSchema(spec.body) } : {}),
  ...(spec.headers ? { headers: toJsonSchema(spec.headers) } : {}),
  response: {
    [spec.response.status]: { description: spec.response.description, ...jsonContent(toJsonSchema(spec.response.schema)) },
    "4xx": { description: "Problem details (RFC 9457)", ...problemJson() },
    "5xx": { description: "Problem details (RFC 9457)", ...problemJson() },
  },
});

export const route = <P = undefined, Q = undefined, B = undefined, H = undefined, R = unknown, Acc extends Access = Access>(
  app: FastifyInstance,
  deps: RouteDeps,
  spec: RouteSpec<P, Q, B, H, R, Acc>,
): void => {
  const encode = Schema.encodeSync(spec.response.schema);
  app.route({
    method: spec.method,
    url: spec.url,
    ...(deps.describe ? { schema: openApiSchema(spec) } : {}),
    ...(spec.access === "public" ? {} : { onRequest: guard(deps.tokens, spec.access as Exclude<Access, "public">) }),
    ...(spec.rateLimit ? { config: { rateLimit: { max: spec.rateLimit.max, timeWindow: spec.rateLimit.timeWindowMs } } } : {}),
    handler: async (request, reply) => {
      const rawBody = request.body === undefined && spec.bodyOptional ? {} : request.body;
      const input: Input<P, Q, B, H, Acc> = {
        params: decodeOrThrow(spec.params, "params", request.params),
        query: decodeOrThrow(spec.query, "query", request.query),
        body: decodeOrThrow(spec.body, "body", rawBody),
        headers: decodeOrThrow(spec.headers, "header", request.headers),
        principal: request.principal as Input<P, Q, B, H, Acc>["principal"],
        request,
        reply,
      };
      const result = await spec.handler(input);
      return reply.code(spec.response.status).send(encode(result));
    },
  });
};
