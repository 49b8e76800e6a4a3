import type { FastifyInstance } from "fastify";
import { getProduct, listProducts } from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { ProductIdParam, ProductListQuery } from "../schemas.js";
import { Page, productView, ProductView } from "../views.js";

const tags = ["storefront"];

export const productRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  route(app, deps, {
    method: "GET",
    url: "/api/products",
    summary: "Browse the catalog, by name, optionally one category",
    tags,
    access: "public",
    query: ProductListQuery,
    response: { status: 200, schema: Page(ProductView), description: "One page of products" },
    handler: async ({ query }) => {
      const page = await deps.run(listProducts(query));
      return { items: page.items.map(productView), nextCursor: page.nextCursor };
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/api/products/:id",
    summary: "One product",
    tags,
    access: "public",
    params: ProductIdParam,
    response: { status: 200, schema: ProductView, description: "The product" },
    handler: async ({ params }) => productView(await deps.run(getProduct(params.id))),
  });
};
