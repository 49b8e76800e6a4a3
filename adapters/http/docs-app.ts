/**
 * Loaded on the first /docs or /openapi.json request only: a second Fastify instance that declares the same
 * routes (never serving them) so @fastify/swagger can describe them, with Swagger UI beside the spec.
 */
import { randomBytes } from "node:crypto";
import swagger, { type SwaggerTransformObject } from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { builtInIdentity } from "../identity/built-in.js";
import type { DocsOptions } from "./docs.js";
import { Defect, type Run } from "./runtime.js";
import { defaultAuthLimits } from "./routes/auth.js";
import { declareRoutes } from "./routes/index.js";
import { noCompilers } from "./schema-compilers.js";
import { componentSchemas, openApiSchema } from "./openapi.js";

const describeOnly: Run = () => Promise.reject(new Defect("the docs app describes routes; it never runs them"));

const openapi = {
  openapi: "3.1.0",
  info: {
    title: "Cartwright API",
    version: "0.1.0",
    description:
      "Storefront and admin API. Money is { amount: integer minor units, currency }. Timestamps are ISO-8601. " +
      "Errors are RFC 9457 application/problem+json with a stable `code` and, where one is to blame, the `field`.",
  },
  servers: [{ url: "/", description: "The server that serves this document (npm start: http://localhost:3000)" }],
  components: { securitySchemes: { bearerAuth: { type: "http" as const, scheme: "bearer", bearerFormat: "JWT" } } },
  tags: [
    { name: "auth", description: "Registration, login and the caller's identity" },
    { name: "storefront", description: "The public catalog" },
    { name: "cart", description: "The caller's cart: holds on stock at the price seen" },
    { name: "orders", description: "Checkout, the caller's orders, payment" },
    { name: "admin: catalog", description: "Products, prices and stock (admin)" },
    { name: "admin: orders", description: "Orders and events (admin)" },
    { name: "operations", description: "Health checks and provider webhooks" },
  ],
};

const logo =
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="0" y="28" font-family="sans-serif" font-size="24" fill="#fff">Cartwright API</text></svg>';

export const buildDocsApp = async (options: DocsOptions): Promise<FastifyInstance> => {
  const app = Fastify({ logger: false, schemaController: noCompilers });
  // Named schemas are collected while routes are declared below, so they are added when the document is built.
  await app.register(swagger, {
    openapi,
    transformObject: (document) => {
      const spec = "openapiObject" in document ? document.openapiObject : document.swaggerObject;
      return { ...spec, components: { ...("components" in spec ? spec.components : {}), schemas: componentSchemas() } } as ReturnType<SwaggerTransformObject>;
    },
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    ...(options.staticDir === undefined ? {} : { baseDir: options.staticDir }),
    // No call-outs to validator.swagger.io: the page needs nothing but this origin, so the CSP stays strict.
    uiConfig: { validatorUrl: null },
    // Given inline: the plugin's default logo is a file read from beside its source, which bundling leaves behind.
    logo: { type: "image/svg+xml", content: Buffer.from(logo) },
  });
  const identity = builtInIdentity({ secret: randomBytes(32).toString("hex"), issuer: "docs", audience: "docs", ttlSeconds: 60 });
  declareRoutes(app, { run: describeOnly, identity, describe: openApiSchema, requestTimeoutMs: 1 }, { limits: defaultAuthLimits });
  await app.ready();
  return app;
};
