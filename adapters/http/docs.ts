/** /openapi.json and Swagger UI at /docs, served by a docs app built on first use: nothing of it loads at cold start. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface DocsOptions {
  /** False: no docs routes at all (a 404 like any unknown path). True unless said. */
  readonly enabled?: boolean;
  /** Where Swagger UI's static files are when bundled (the Lambda build copies them); the package's own otherwise. */
  readonly staticDir?: string | undefined;
}

// Framing headers belong to each hop: the outer reply computes its own.
const perHop = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "date"]);

export const serveDocs = (app: FastifyInstance, options: DocsOptions = {}): void => {
  if (options.enabled === false) return;
  let docsApp: Promise<FastifyInstance> | undefined;
  const load = () =>
    (docsApp ??= import("./docs-app.js")
      .then((m) => m.buildDocsApp(options))
      .catch((error: unknown) => {
        docsApp = undefined;
        throw error;
      }));

  const forward = (path?: string) => async (request: FastifyRequest, reply: FastifyReply) => {
    const docs = await load();
    const res = await docs.inject({ method: "GET", url: path ?? request.url, headers: { accept: request.headers.accept ?? "*/*" } });
    for (const [name, value] of Object.entries(res.headers)) if (!perHop.has(name) && value !== undefined) reply.header(name, value);
    return reply.code(res.statusCode).send(res.rawPayload);
  };

  app.get("/openapi.json", forward("/docs/json"));
  app.get("/docs", forward());
  app.get("/docs/*", forward());
};
