import { Schema } from "effect";
import type { FastifyInstance } from "fastify";
import {
  DomainEvent,
  IdempotencyKey,
  listEvents,
  adjustStock,
  advanceOrder,
  createProduct,
  listOrdersByStatus,
  lowStockReport,
  updateProduct,
} from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import {
  AdminOrdersQuery,
  InventoryQuery,
  NewProductBody,
  OrderIdParam,
  ProductIdParam,
  ProductPatchBody,
  EventsQuery,
  StatusBody,
  StockBody,
} from "../schemas.js";
import { AdminProductView, adminProductView, OrderView, Page } from "../views.js";

// A delta is relative: without a key, a retry after "outcome unknown" could apply it twice.
const StockHeaders = Schema.Struct({
  "idempotency-key": IdempotencyKey.annotations({
    description: "8–128 printable characters, new for each change; a retry (after a lost reply or a 503 store_outcome_unknown) sends the same key",
  }),
});

const access = "admin" as const;
const catalog = { tags: ["admin: catalog"], access };
const fulfilment = { tags: ["admin: orders"], access };
const product = { status: 200, schema: AdminProductView, description: "The product with its counters" };

export const adminRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  route(app, deps, {
    ...catalog,
    method: "POST",
    url: "/api/admin/products",
    summary: "Add a product (its id is generated unless given)",
    body: NewProductBody,
    response: { ...product, status: 201 },
    handler: async ({ body }) => adminProductView(await deps.run(createProduct(body))),
  });

  route(app, deps, {
    ...catalog,
    method: "PATCH",
    url: "/api/admin/products/:id",
    summary: "Change name, category, description or price; existing holds and orders keep their prices",
    params: ProductIdParam,
    body: ProductPatchBody,
    response: product,
    handler: async ({ params, body }) => adminProductView(await deps.run(updateProduct(params.id, body))),
  });

  route(app, deps, {
    ...catalog,
    method: "POST",
    url: "/api/admin/products/:id/stock",
    summary: "Add or remove units on hand, once per Idempotency-Key (required: a retry after a lost reply must not apply the delta twice); never below what carts hold",
    params: ProductIdParam,
    headers: StockHeaders,
    body: StockBody,
    response: { ...product, description: "The product with its counters (a replayed key returns it as it is now, with Idempotent-Replayed: true)" },
    handler: async ({ principal, params, body, headers, reply }) => {
      const adjusted = await deps.run(adjustStock(params.id, body.delta, { callerId: principal.userId, key: headers["idempotency-key"] }));
      if (adjusted.replayed) reply.header("idempotent-replayed", "true");
      return adminProductView(adjusted.value);
    },
  });

  route(app, deps, {
    ...catalog,
    method: "GET",
    url: "/api/admin/inventory",
    summary: "Low-stock report: products with fewer than belowAvailable units available, lowest first",
    query: InventoryQuery,
    response: { status: 200, schema: Page(AdminProductView), description: "One page of products" },
    handler: async ({ query }) => {
      const page = await deps.run(lowStockReport(query.belowAvailable, query));
      return { items: page.items.map(adminProductView), nextCursor: page.nextCursor };
    },
  });

  route(app, deps, {
    ...fulfilment,
    method: "GET",
    url: "/api/admin/orders",
    summary: "Orders in one status (default placed), newest first",
    query: AdminOrdersQuery,
    response: { status: 200, schema: Page(OrderView), description: "One page of orders" },
    handler: ({ query }) => deps.run(listOrdersByStatus(query.status, query)),
  });

  route(app, deps, {
    ...fulfilment,
    method: "GET",
    url: "/api/admin/events",
    summary: "Events committed (and so published), newest first: all, of one type, or of one order",
    query: EventsQuery,
    response: { status: 200, schema: Page(DomainEvent), description: "One page of events, each as it goes on the bus (the detail)" },
    handler: ({ query }) => deps.run(listEvents(query)),
  });

  route(app, deps, {
    ...fulfilment,
    method: "POST",
    url: "/api/admin/orders/:id/status",
    summary: "Move an order along placed → paid → packed → shipped → delivered, or cancel it",
    params: OrderIdParam,
    body: StatusBody,
    response: { status: 200, schema: OrderView, description: "The order in its new status" },
    handler: ({ principal, params, body }) => deps.run(advanceOrder(principal, params.id, body.status)),
  });
};
