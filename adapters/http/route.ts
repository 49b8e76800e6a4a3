/**
 * One declaration per route: access, request schemas, response schema. From it come the Fastify route,
 * its OpenAPI description (JSON Schema generated from the same Effect Schemas), decoding and encoding.
 */
import { Either, Schema } from "effect";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { IdentityShape, Principal } from "../../domain/index.js";
import { guard, type Access } from "./auth/guard.js";
import { partDecoder } from "./decode.js";
import type { RequestPart } from "./errors.js";
import type { Run } from "./runtime.js";
import { requestDeadline } from "../deadline.js";
import type { UploadIntent } from "../../domain/index.js";
import type { PresignedUpload } from "../media/presign.js";

/** What every route handler can use. */
export interface RouteDeps {
  readonly run: Run;
  /** Who a bearer token names: the built-in accounts or Cognito (adapters/identity). */
  readonly identity: IdentityShape;
  /** How long a request may use the store when no caller's deadline is set (Lambda sets one per invocation). */
  readonly requestTimeoutMs: number;
  /** The docs app's OpenAPI description of a route (openapi.ts); the serving app never loads it. */
  readonly describe?: (spec: RouteSpec<any, any, any, any, any, any>) => object;
  /** Product image uploads; absent where no media bucket is configured. */
  readonly media?: MediaUploads | undefined;
}

export interface MediaUploads {
  readonly presign: (intent: UploadIntent) => Promise<PresignedUpload>;
  /** Where variant keys are served from (CloudFront on a stack, the emulator locally). */
  readonly baseUrl: string;
  readonly uploadTtlSeconds: number;
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
  /** Longer help shown under the summary in the docs. */
  readonly description?: string;
  readonly tags: ReadonlyArray<string>;
  readonly access: Acc;
  readonly params?: AnySchema<P>;
  readonly query?: AnySchema<Q>;
  readonly body?: AnySchema<B>;
  /** An absent body decodes as `{}` (the body's fields are all optional). */
  readonly bodyOptional?: boolean;
  readonly headers?: AnySchema<H>;
  /** The answer carries a token or personal data: never stored by a cache (true for every route behind a token). */
  readonly noStore?: boolean;
  readonly response: { readonly status: number; readonly schema: AnySchema<R>; readonly description: string };
  readonly handler: (input: Input<P, Q, B, H, Acc>) => Promise<R>;
}

/** Built once per route: a part without a schema decodes to undefined. */
const decoderOrThrow = <A>(schema: AnySchema<A> | undefined, part: RequestPart): ((value: unknown) => A) => {
  if (schema === undefined) return () => undefined as A;
  const decode = partDecoder(schema, part);
  return (value) => {
    const result = decode(value);
    if (Either.isLeft(result)) throw result.left;
    return result.right;
  };
};

export const route = <P = undefined, Q = undefined, B = undefined, H = undefined, R = unknown, Acc extends Access = Access>(
  app: FastifyInstance,
  deps: RouteDeps,
  spec: RouteSpec<P, Q, B, H, R, Acc>,
): void => {
  const encode = Schema.encodeSync(spec.response.schema);
  const decode = {
    params: decoderOrThrow(spec.params, "params"),
    query: decoderOrThrow(spec.query, "query"),
    body: decoderOrThrow(spec.body, "body"),
    headers: decoderOrThrow(spec.headers, "header"),
  };
  const noStore = spec.noStore ?? spec.access !== "public";
  app.route({
    method: spec.method,
    url: spec.url,
    ...(deps.describe ? { schema: deps.describe(spec) } : {}),
    ...(spec.access === "public" ? {} : { onRequest: guard(deps, spec.access as Exclude<Access, "public">) }),
    handler: async (request, reply) => {
      const rawBody = request.body === undefined && spec.bodyOptional ? {} : request.body;
      const input: Input<P, Q, B, H, Acc> = {
        params: decode.params(request.params),
        query: decode.query(request.query),
        body: decode.body(rawBody),
        headers: decode.headers(request.headers),
        principal: request.principal as Input<P, Q, B, H, Acc>["principal"],
        request,
        reply,
      };
      // The invocation's deadline (Lambda), else this request's own: use cases started by the handler run under it.
      const deadline = requestDeadline.getStore() ?? Date.now() + deps.requestTimeoutMs;
      const result = await requestDeadline.run(deadline, () => spec.handler(input));
      if (noStore) reply.header("cache-control", "no-store");
      return reply.code(spec.response.status).send(encode(result));
    },
  });
};
