import type { FastifyInstance } from "fastify";
import { getProduct, imagesOf, listProducts, type Product } from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { ProductIdParam, ProductListQuery } from "../schemas.js";
import { Page, productView, ProductView } from "../views.js";
import { imageView } from "../image-views.js";

const tags = ["storefront"];

export const productRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  const withImages = async (products: ReadonlyArray<Product>) => {
    const images = await deps.run(imagesOf(products.map((p) => p.id)));
    const toView = imageView(deps.media?.baseUrl ?? "");
    return products.map((p) => ({ ...productView(p), images: (images.get(p.id) ?? []).map(toView) }));
  };

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
      return { items: await withImages(page.items), nextCursor: page.nextCursor };
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
    handler: async ({ params }) => (await withImages([await deps.run(getProduct(params.id))]))[0]!,
  });
};
