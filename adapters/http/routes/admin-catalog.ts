import type { FastifyInstance } from "fastify";
import { listAdminProducts, setProductArchived } from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { AdminProductsQuery, ProductIdParam } from "../schemas.js";
import { AdminProductView, adminProductView, Page } from "../views.js";

const catalog = { tags: ["admin: catalog"], access: "admin" as const };

export const adminCatalogRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  route(app, deps, {
    ...catalog,
    method: "GET",
    url: "/api/admin/products",
    summary: "Every product with its counters (stock, reserved, available, lowStock), by name: one category or all, archived or listed or both",
    query: AdminProductsQuery,
    response: { status: 200, schema: Page(AdminProductView), description: "One page of products" },
    handler: async ({ query }) => {
      const page = await deps.run(listAdminProducts(query));
      return { items: page.items.map(adminProductView), nextCursor: page.nextCursor };
    },
  });

  for (const [action, archived] of [["archive", true], ["unarchive", false]] as const)
    route(app, deps, {
      ...catalog,
      method: "POST",
      url: `/api/admin/products/:id/${action}`,
      summary: archived
        ? "Archive a product: it leaves the catalog and cannot be added to a cart (409 product_archived); holds already taken keep their units until they lapse (and may be checked out), orders keep it. Safe to repeat"
        : "List an archived product again: back in the catalog, open to new holds. Safe to repeat",
      params: ProductIdParam,
      response: { status: 200, schema: AdminProductView, description: archived ? "The product, archived" : "The product, listed" },
      handler: async ({ params }) => adminProductView(await deps.run(setProductArchived(params.id, archived))),
    });
};
