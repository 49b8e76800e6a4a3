/** Failures the HTTP adapter itself raises; problems.ts maps them beside the domain's. */
import { Schema } from "effect";

export const RequestPart = Schema.Literal("body", "params", "query", "header");
export type RequestPart = typeof RequestPart.Type;

/** A body, param, query or header the route's schema refused. */
export class RequestInvalid extends Schema.TaggedError<RequestInvalid>()("RequestInvalid", {
  in: RequestPart,
  /** Dotted path of the first offending field; "" for the part as a whole. */
  field: Schema.String,
  issue: Schema.Literal("missing", "unexpected", "invalid"),
  message: Schema.String,
}) {}

export class RequestMalformedJson extends Schema.TaggedError<RequestMalformedJson>()("RequestMalformedJson", {}) {}

/** Arrays and objects nested deeper than any route accepts: refused before parsing. */
export class RequestBodyTooDeep extends Schema.TaggedError<RequestBodyTooDeep>()("RequestBodyTooDeep", {
  maxDepth: Schema.Number,
}) {}

export class RequestBodyTooLarge extends Schema.TaggedError<RequestBodyTooLarge>()("RequestBodyTooLarge", {
  limitBytes: Schema.Number,
}) {}

export class RequestMediaTypeUnsupported extends Schema.TaggedError<RequestMediaTypeUnsupported>()(
  "RequestMediaTypeUnsupported",
  { contentType: Schema.String },
) {}

/** Any other 4xx Fastify raises before our code runs (bad Content-Length, and the like). */
export class RequestRejected extends Schema.TaggedError<RequestRejected>()("RequestRejected", {
  status: Schema.Number,
  reason: Schema.String,
}) {}

export class RouteNotFound extends Schema.TaggedError<RouteNotFound>()("RouteNotFound", {
  method: Schema.String,
  path: Schema.String,
}) {}

/** No bearer token, or one that is malformed, forged, expired or for another audience. */
export class AuthUnauthenticated extends Schema.TaggedError<AuthUnauthenticated>()("AuthUnauthenticated", {
  reason: Schema.Literal("missing", "invalid", "unknown-user"),
}) {}

export class AuthForbidden extends Schema.TaggedError<AuthForbidden>()("AuthForbidden", {
  required: Schema.String,
}) {}

/** Wrong email or password; which one is never said. */
export class AuthInvalidCredentials extends Schema.TaggedError<AuthInvalidCredentials>()("AuthInvalidCredentials", {}) {}

/** The token signing keys could not be read (their SSM parameter unreachable): the next request tries again. */
export class SigningKeysUnavailable extends Schema.TaggedError<SigningKeysUnavailable>()("SigningKeysUnavailable", {
  reason: Schema.String,
}) {}

export type HttpError =
  | SigningKeysUnavailable
  | RequestInvalid
  | RequestMalformedJson
  | RequestBodyTooLarge
  | RequestBodyTooDeep
  | RequestMediaTypeUnsupported
  | RequestRejected
  | RouteNotFound
  | AuthUnauthenticated
  | AuthForbidden
  | AuthInvalidCredentials;
