/** Effect Schemas are the one source of truth for requests: they decode them (here) and describe them (openapi.ts). */
import { Either, ParseResult, Schema } from "effect";
import { RequestInvalid, type RequestPart } from "./errors.js";

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

/** A decoder for one request part, built once per route: it decodes the part or names the first offending field. */
export const partDecoder = <A, I>(schema: Schema.Schema<A, I>, part: RequestPart): ((input: unknown) => Either.Either<A, RequestInvalid>) => {
  const decode = Schema.decodeUnknownEither(schema, optionsFor(part));
  return (input) => Either.mapLeft(decode(input), (error) => invalid(part, error));
};

/** Decodes one request part or fails with the first offending field. */
export const decodePart = <A, I>(schema: Schema.Schema<A, I>, part: RequestPart, input: unknown): Either.Either<A, RequestInvalid> =>
  partDecoder(schema, part)(input);

// Formatting walks the offending value; bodies are depth-bounded before parsing (json-depth.ts), and this is the backstop.
const firstIssue = (error: ParseResult.ParseError): ParseResult.ArrayFormatterIssue | undefined => {
  try {
    return ParseResult.ArrayFormatter.formatErrorSync(error)[0];
  } catch {
    return undefined;
  }
};

const invalid = (part: RequestPart, error: ParseResult.ParseError): RequestInvalid => {
  const issue = firstIssue(error);
  if (!issue) return new RequestInvalid({ in: part, field: "", issue: "invalid", message: `Invalid ${part}.` });
  const field = issue.path.map(String).join(".");
  return new RequestInvalid({ in: part, field, issue: issueOf(issue._tag), message: describe(part, issue) });
};
