/**
 * The docs app's OpenAPI description of each route, generated from the same Effect Schemas that decode
 * requests (JSONSchema.make). Only the docs chunk imports this: a cold start never generates a schema.
 */
import { JSONSchema, type Schema } from "effect";
import type { Access } from "./auth/guard.js";
import { problemContentType } from "./problems.js";
import type { RouteSpec } from "./route.js";
import { ProblemView } from "./views.js";

export type JsonSchema = Record<string, unknown>;

const resolveRefs = (node: unknown, defs: Record<string, unknown>, seen: ReadonlySet<string>): unknown => {
  if (Array.isArray(node)) return node.map((n) => resolveRefs(n, defs, seen));
  if (node === null || typeof node !== "object") return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof $ref === "string") {
    const name = $ref.replace(/^#\/\$defs\//, "");
    if (seen.has(name) || !(name in defs)) throw new Error(`cannot inline JSON Schema reference ${$ref}`);
    Object.assign(out, resolveRefs(defs[name], defs, new Set([...seen, name])));
  }
  for (const [k, v] of Object.entries(rest)) out[k] = resolveRefs(v, defs, seen);
  return out;
};

/** A self-contained OpenAPI 3.1 schema (no $defs) for a route's schema and the docs. */
export const toJsonSchema = <A, I>(schema: Schema.Schema<A, I>): JsonSchema => {
  const { $schema: _, $defs, ...root } = JSONSchema.make(schema, { target: "openApi3.1" }) as unknown as JsonSchema;
  return resolveRefs(root, ($defs ?? {}) as Record<string, unknown>, new Set()) as JsonSchema;
};

const jsonContent = (schema: JsonSchema, type = "application/json") => ({ content: { [type]: { schema } } });

const problemJson = () => jsonContent(toJsonSchema(ProblemView), problemContentType);

export const openApiSchema = <P, Q, B, H, R, Acc extends Access>(spec: RouteSpec<P, Q, B, H, R, Acc>) => ({
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
    "5xx": {
      description:
        spec.method === "GET"
          ? "Problem details (RFC 9457); 503 store_unavailable: nothing was changed, retry shortly"
          : "Problem details (RFC 9457); 503 store_unavailable: nothing was changed; 503 store_outcome_unknown: the change may have committed, retry with the same Idempotency-Key to get what did",
      ...problemJson(),
    },
  },
});

