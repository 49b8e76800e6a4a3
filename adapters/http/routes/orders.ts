import type { FastifyInstance } from "fastify";
import { cancelOrder, getOrder, listMyOrders, placeOrderWithinLimits } from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { CheckoutBody, CheckoutHeaders, OrderIdParam, PageQuery } from "../schemas.js";
import { OrderView, Page } from "../views.js";

const tags = ["orders"];
const access = "customer" as const;

export const orderRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  route(app, deps, {
    method: "POST",
    url: "/api/orders",
    summary: "Check out the cart, at most once per Idempotency-Key",
    tags,
    access,
    headers: CheckoutHeaders,
    body: CheckoutBody,
    bodyOptional: true,
    response: { status: 201, schema: OrderView, description: "The order (a replayed key returns the same order with Idempotent-Replayed: true)" },
    handler: async ({ principal, headers, body, reply }) => {
      const placed = await deps.run(placeOrderWithinLimits(principal.userId, headers["idempotency-key"], body.expectedTotal));
      if (placed.replayed) reply.header("idempotent-replayed", "true");
      return placed.order;
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/api/orders",
    summary: "My orders, newest first",
    tags,
    access,
    query: PageQuery,
    response: { status: 200, schema: Page(OrderView), description: "One page of orders" },
    handler: ({ principal, query }) => deps.run(listMyOrders(principal.userId, query)),
  });

  route(app, deps, {
    method: "GET",
    url: "/api/orders/:id",
    summary: "One of my orders",
    tags,
    access,
    params: OrderIdParam,
    response: { status: 200, schema: OrderView, description: "The order (someone else's is 404)" },
    handler: ({ principal, params }) => deps.run(getOrder(principal, params.id)),
  });

  route(app, deps, {
    method: "POST",
    url: "/api/orders/:id/cancel",
    summary: "Cancel one of my orders while it is still placed; its units go back to stock",
    tags,
    access,
    params: OrderIdParam,
    response: { status: 200, schema: OrderView, description: "The cancelled order" },
    handler: ({ principal, params }) => deps.run(cancelOrder(principal, params.id)),
  });
};
