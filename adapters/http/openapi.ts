/**
 * The docs app's OpenAPI description of each route, generated from the same Effect Schemas that decode
 * requests (JSONSchema.make). Only the docs chunk imports this: a cold start never generates a schema.
 */
import { Either, JSONSchema, Schema } from "effect";
import type { Access } from "./auth/guard.js";
import { requestExamples } from "./examples.js";
import { clientProblemExample, serverProblemExample } from "./problem-examples.js";
import { problemContentType } from "./problems.js";
import { responseExamples } from "./response-examples.js";
import type { RouteSpec } from "./route.js";
import { ProblemView } from "./views.js";

export type JsonSchema = Record<string, unknown>;

/** Every named schema (an Effect `identifier`) met so far, served as `components.schemas` and referenced by `$ref`. */
const components = new Map<string, string>();
export const componentSchemas = (): Record<string, JsonSchema> =>
  Object.fromEntries([...components].sort(([a], [b]) => a.localeCompare(b)).map(([name, json]) => [name, JSON.parse(json) as JsonSchema]));

// Effect titles a refinement by its constructor ("maxLength(64)", "int"): noise in a generated client's types.
const refinementTitle = /^(?:[a-zA-Z]+\(.*\)|int|positive|negative|nonNegative|nonPositive|finite|trimmed|nonEmptyString)$/;

type Defs = Record<string, unknown>;
const isObjectSchema = (def: unknown) => (def as { type?: unknown } | undefined)?.type === "object";

// Named objects become components; a named scalar (Effect's `Int`) is inlined, as a client wants `number`, not a type alias.
const tidy = (node: unknown, defs: Defs): unknown => {
  if (Array.isArray(node)) return node.map((n) => tidy(n, defs));
  if (node === null || typeof node !== "object") return node;
  const { $ref, ...rest } = node as Record<string, unknown>;
  const name = typeof $ref === "string" ? $ref.replace(/^#\/\$defs\//, "") : undefined;
  const out: Record<string, unknown> = name === undefined ? {} : isObjectSchema(defs[name]) ? { $ref: `#/components/schemas/${name}` } : { ...(tidy(defs[name], defs) as Record<string, unknown>) };
  for (const [k, v] of Object.entries(rest)) {
    if (k === "title" && typeof v === "string" && refinementTitle.test(v)) continue;
    out[k] = tidy(v, defs);
  }
  return out;
};

const register = (name: string, schema: unknown, defs: Defs) => {
  const json = JSON.stringify(tidy(schema, defs));
  const known = components.get(name);
  // Two different schemas under one name would make a client's type silently wrong.
  if (known !== undefined && known !== json) throw new Error(`two different schemas are named ${name}: give one another identifier`);
  components.set(name, json);
};

/** An OpenAPI 3.1 schema for a route's schema: named objects as `$ref`s to `components.schemas`. */
export const toJsonSchema = <A, I>(schema: Schema.Schema<A, I>): JsonSchema => {
  const { $schema: _, $defs, ...root } = JSONSchema.make(schema, { target: "openApi3.1" }) as unknown as JsonSchema;
  const defs = ($defs ?? {}) as Defs;
  for (const [name, def] of Object.entries(defs)) if (isObjectSchema(def)) register(name, def, defs);
  return tidy(root, defs) as JsonSchema;
};

/** A stable, unique name per route for generated clients: `POST /api/orders/:id/payment` is `postOrdersIdPayment`. */
export const operationIdOf = (method: string, url: string): string =>
  [method.toLowerCase(), ...url.split("/").filter((s) => s !== "" && s !== "api").map((s) => s.replace(/^:/, ""))]
    .flatMap((s) => s.split(/[^A-Za-z0-9]+/))
    .filter((s) => s !== "")
    .map((s, i) => (i === 0 ? s : s[0]!.toUpperCase() + s.slice(1)))
    .join("");

const decodes = <A, I>(schema: Schema.Schema<A, I>, example: unknown) =>
  Either.isRight(Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(example));

/** The body's schema with its example, which must decode with that schema (a drifted example fails the docs app). */
const bodyWithExample = <A, I>(schema: Schema.Schema<A, I>, operationId: string): JsonSchema => {
  const example = requestExamples[operationId];
  if (example === undefined) return toJsonSchema(schema);
  if (!decodes(schema, example)) throw new Error(`the request example of ${operationId} does not decode`);
  return { ...toJsonSchema(schema), examples: [example] };
};

/** The success body's example, checked the same way. */
const responseExample = <A, I>(schema: Schema.Schema<A, I>, operationId: string): unknown => {
  const example = responseExamples[operationId];
  if (example !== undefined && !decodes(schema, example)) throw new Error(`the response example of ${operationId} does not decode`);
  return example;
};

const jsonContent = (schema: JsonSchema, example: unknown, type = "application/json") => ({
  content: { [type]: { schema, ...(example === undefined ? {} : { example }) } },
});

const problemJson = (example: unknown) => jsonContent(toJsonSchema(ProblemView), example, problemContentType);

// A public route that takes no input cannot be refused: it documents no 4xx rather than one it never sends.
const refusable = (spec: RouteSpec<any, any, any, any, any, any>) =>
  spec.access !== "public" || [spec.params, spec.query, spec.body, spec.headers].some((part) => part !== undefined);

export const openApiSchema = <P, Q, B, H, R, Acc extends Access>(spec: RouteSpec<P, Q, B, H, R, Acc>) => {
  const operationId = operationIdOf(spec.method, spec.url);
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    operationId,
    tags: [...spec.tags],
    // An empty list says "no credentials" explicitly, so a client generator does not guess.
    security: spec.access === "public" ? [] : [{ bearerAuth: [] }],
    ...(spec.params ? { params: toJsonSchema(spec.params) } : {}),
    ...(spec.query ? { querystring: toJsonSchema(spec.query) } : {}),
    ...(spec.body ? { body: bodyWithExample(spec.body, operationId) } : {}),
    ...(spec.headers ? { headers: toJsonSchema(spec.headers) } : {}),
    response: {
      [spec.response.status]: { description: spec.response.description, ...jsonContent(toJsonSchema(spec.response.schema), responseExample(spec.response.schema, operationId)) },
      ...(refusable(spec) ? { "4xx": { description: "Problem details (RFC 9457)", ...problemJson(clientProblemExample(operationId)) } } : {}),
      "5xx": {
        description:
          spec.method === "GET"
            ? "Problem details (RFC 9457); 503 store_unavailable: nothing was changed, retry shortly"
            : "Problem details (RFC 9457); 503 store_unavailable: nothing was changed; 503 store_outcome_unknown: the change may have committed, retry with the same Idempotency-Key to get what did",
        ...problemJson(serverProblemExample(operationId, spec.method)),
      },
    },
  };
};
