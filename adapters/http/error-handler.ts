/** Every error a request can end in becomes problem+json here, through problems.ts. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type HttpError,
  RequestBodyTooLarge,
  RequestMalformedJson,
  RequestMediaTypeUnsupported,
  RequestRejected,
  RouteNotFound,
} from "./errors.js";
import { type AppError, internalProblem, isAppError, problemContentType, toProblem } from "./problems.js";

/** Fastify's own 4xx errors (raised before a handler runs) in our vocabulary. */
const fromFastify = (error: FastifyError, request: FastifyRequest, bodyLimit: number): HttpError | undefined => {
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new RequestMalformedJson();
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new RequestBodyTooLarge({ limitBytes: bodyLimit });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new RequestMediaTypeUnsupported({ contentType: String(request.headers["content-type"] ?? "") });
  }
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 500 ? new RequestRejected({ status, reason: error.message }) : undefined;
};

/** Errors the router raises before any hook (a malformed percent-encoding in the path). */
export const frameworkErrors = (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
  const reason = error.code === "FST_ERR_BAD_URL" ? "The URL is malformed." : error.message;
  return sendProblem(reply, new RequestRejected({ status: error.statusCode ?? 400, reason }));
};

export const sendProblem = (reply: FastifyReply, error: AppError) => {
  const { problem, headers } = toProblem(error);
  const status = error._tag === "RequestRejected" ? error.status : problem.status;
  return reply.code(status).headers(headers).type(problemContentType).send({ ...problem, status });
};

export const installErrorHandling = (app: FastifyInstance, bodyLimit: number): void => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = isAppError(error) ? error : fromFastify(error, request, bodyLimit);
    if (!known) {
      request.log.error({ err: error }, "unexpected error");
      return reply.code(500).type(problemContentType).send(internalProblem);
    }
    const { code, status } = toProblem(known).problem;
    // A store outage's cause (retries exhausted, the deadline reached, the last failure) goes in the log line.
    if (status >= 500) request.log.error({ err: error, code, ...(known._tag === "PersistenceUnavailable" ? { operation: known.operation, cause: known.reason } : {}) }, "request failed");
    else request.log.info({ code }, "request refused");
    return sendProblem(reply, known);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split("?")[0] ?? "").slice(0, 200);
    return sendProblem(reply, new RouteNotFound({ method: request.method, path }));
  });
};
