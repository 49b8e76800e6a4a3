/** Effect Schemas are the one source of truth for requests: they decode them and generate their JSON Schema. */
import { Either, JSONSchema, ParseResult, Schema } from "effect";
import { RequestInvalid, type RequestPart } from "./errors.js";

export type JsonSchema = Record<string, unknown>;

// Headers carry far more than a route declares; every other part must hold exactly the declared fields.
const optionsFor = (part: RequestPart) => ({ onExcessProperty: part === "header" ? "ignore" : "error" }) as const;

const issueOf = (tag: string): RequestInvalid["issue"] => (tag === "Missing" ? "missing" : tag === "Unexpected" ? "unexpected" : "invalid");

// Effect's messages end with ", actual <value>": dropped so a password never echoes back (or into a log).
const withoutActual = (message: string) => message.replace(/, actual [\s\S]*$/, "");

const describe = (part: RequestPart, issue: ParseResult.ArrayFormatterIssue): string => {
  if (issue.path.length === 0) return part === "body" ? "The body must be a JSON object." : `Invalid ${part}.`;
  if (issue._tag === "Missing") return "Required.";
  if (issue._tag === "Unexpected") return "Unknown field.";
  return withoutActual(issue.message);
};

/** Decodes one request part or fails with the first offending field. */
export const decodePart = <A, I>(schema: Schema.Schema<A, I>, part: RequestPart, input: unknown): Either.Either<A, RequestInvalid> =>
  Either.mapLeft(Schema.decodeUnknownEither(schema, optionsFor(part))(input), (error) => {
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error);
    if (!issue) return new RequestInvalid({ in: part, field: "", issue: "invalid", message: `Invalid ${part}.` });
    const field = issue.path.map(String).join(".");
    return new RequestInvalid({ in: part, field, issue: issueOf(issue._tag), message: describe(part, issue) });
  });

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
