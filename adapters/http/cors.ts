/**
 * The one CORS policy: the app sends it (`npm start`), and API Gateway's CORS configuration is generated
 * from it (infra/httpApi.ts), since API Gateway answers preflights itself and drops the app's CORS headers.
 * Only the allowed origins differ per stack (`cartwright:api.corsOrigins`, `CORS_ORIGINS`).
 */
export const corsPolicy = {
  methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  /** What a browser may send: the token, JSON, a retry key, its own request id. */
  allowedHeaders: ["authorization", "content-type", "idempotency-key", "x-request-id"],
  /** What a browser may read: whether a reply was a replay, when to retry, the request id to quote. */
  exposedHeaders: ["idempotent-replayed", "retry-after", "x-request-id"],
  maxAgeSeconds: 600,
} as const;
