/** Effect Schemas are the one source of truth for requests: they decode them (here) and describe them (openapi.ts). */
import { Either, ParseResult, Schema } from "effect";
import { RequestInvalid, type RequestPart } from "./errors.js";

// Headers carry far more than a route declares; every other part must hold exactly the declared fields.
const optionsFor = (part: RequestPart) => ({ onExcessProperty: part === "header" ? "ignore" : "error" }) as const;

const issueOf = (tag: string): RequestInvalid["issue"] => (tag === "Missing" ? "missing" : tag === "Unexpected" ? "unexpected" : "invalid");

// Effect's messages end with ", actual <value>": dropped so a password never echoes back (or into a log).
const withoutActual = (message: string) => message.replace(/, actual [\s\S]*$/, "");

const samePath = (a: ParseResult.ArrayFormatterIssue, b: ParseResult.ArrayFormatterIssue) => a.path.length === b.path.length && a.path.every((k, i) => k === b.path[i]);

// A union of literals fails once per member ("Expected \"placed\"", "Expected \"paid\"", …): named together, not by the first.
const allowedValues = (issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>): ReadonlyArray<string> =>
  issues.flatMap((i) => /^Expected ("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null), actual /.exec(i.message)?.[1] ?? []);

const describe = (part: RequestPart, issue: ParseResult.ArrayFormatterIssue, issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>): string => {
  if (issue.path.length === 0) return part === "body" ? "The body must be a JSON object." : `Invalid ${part}.`;
  if (issue._tag === "Missing") return "Required.";
  if (issue._tag === "Unexpected") return "Unknown field.";
  const allowed = allowedValues(issues.filter((i) => samePath(i, issue)));
  if (allowed.length > 1) return `Expected one of ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}.`;
  return withoutActual(issue.message);
};

/** A decoder for one request part, built once per route: it decodes the part or names the first offending field. */
export const partDecoder = <A, I>(schema: Schema.Schema<A, I>, part: RequestPart): ((input: unknown) => Either.Either<A, RequestInvalid>) => {
  const decode = Schema.decodeUnknownEither(schema, optionsFor(part));
  return (input) => Either.mapLeft(decode(input), (error) => invalid(part, error));
};

/** Decodes one request part or fails with the first offending field. */
export const decodePart = <A, I>(schema: Schema.Schema<A, I>, part: RequestPart, input: unknown): Either.Either<A, RequestInvalid> =>
  partDecoder(schema, part)(input);

// Formatting walks the offending value; bodies are depth-bounded before parsing (json-depth.ts), and this is the backstop.
const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<ParseResult.ArrayFormatterIssue> => {
  try {
    return ParseResult.ArrayFormatter.formatErrorSync(error);
  } catch {
    return [];
  }
};

const invalid = (part: RequestPart, error: ParseResult.ParseError): RequestInvalid => {
  const issues = issuesOf(error);
  const [issue] = issues;
  if (!issue) return new RequestInvalid({ in: part, field: "", issue: "invalid", message: `Invalid ${part}.` });
  const field = issue.path.map(String).join(".");
  return new RequestInvalid({ in: part, field, issue: issueOf(issue._tag), message: describe(part, issue, issues) });
};
