/** OpenAPI 3.1 (generated from the route declarations) at /openapi.json, Swagger UI at /docs. */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

export interface DocsOptions {
  /** Where Swagger UI's static files are when bundled (the Lambda build copies them); the package's own otherwise. */
  readonly staticDir?: string | undefined;
}

/** Registers the spec generator; call before any route so it sees them all. */
export const registerDocs = async (app: FastifyInstance, options: DocsOptions = {}): Promise<void> => {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Cartwright API",
        version: "0.1.0",
        description:
          "Storefront and admin API. Money is { amount: integer minor units, currency }. Errors are RFC 9457 problem+json with a stable `code`.",
      },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
      tags: [
        { name: "auth" },
        { name: "storefront" },
        { name: "cart" },
        { name: "orders" },
        { name: "admin: catalog" },
        { name: "admin: orders" },
        { name: "operations" },
      ],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    ...(options.staticDir === undefined ? {} : { baseDir: options.staticDir }),
    // No call-outs to validator.swagger.io: the page needs nothing but this origin (CSP stays strict).
    uiConfig: { validatorUrl: null, persistAuthorization: false },
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
};
