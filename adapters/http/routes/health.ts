import { Effect } from "effect";
import type { FastifyInstance } from "fastify";
import { PersistenceUnavailable, ProductId, ProductStore } from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { HealthView } from "../views.js";

const tags = ["operations"];
const probeId = ProductId.make("readiness-probe");

/** One cheap read proves the store answers; slower than this counts as down. */
const storeAnswers = Effect.flatMap(ProductStore, (products) => products.get(probeId)).pipe(
  Effect.timeoutFail({ duration: "2 seconds", onTimeout: () => new PersistenceUnavailable({ operation: "readiness" }) }),
);

export const healthRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  route(app, deps, {
    method: "GET",
    url: "/health",
    summary: "Liveness: the process answers",
    tags,
    access: "public",
    response: { status: 200, schema: HealthView, description: "Alive" },
    handler: async () => ({ status: "ok" as const }),
  });

  route(app, deps, {
    method: "GET",
    url: "/health/ready",
    summary: "Readiness: the store answers",
    tags,
    access: "public",
    response: { status: 200, schema: HealthView, description: "Ready (503 problem when the store is unreachable)" },
    handler: async () => {
      await deps.run(storeAnswers);
      return { status: "ready" as const };
    },
  });
};
