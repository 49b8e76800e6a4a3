/**
 * The headers helmet's defaults send (tests/http/security-headers.test.ts holds them to helmet's own output),
 * with upgrade-insecure-requests off: API Gateway serves HTTPS, and locally /docs is plain HTTP. The same on every
 * response, so they are a constant, not middleware built at cold start and run on every request.
 */
import type { FastifyInstance } from "fastify";

export const securityHeaders: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;" +
    "object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};

export const sendSecurityHeaders = (app: FastifyInstance): void => {
  app.addHook("onRequest", (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
};
