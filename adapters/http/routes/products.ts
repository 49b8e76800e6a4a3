import type { FastifyInstance } from "fastify";
import { imagesOf, listCategories, listedProductWithImages, listProducts, type Product, type ProductImage } from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { ProductIdParam, ProductListQuery } from "../schemas.js";
import { CategoryView, Page, productView, ProductView } from "../views.js";
import { imageView } from "../image-views.js";
import { Schema } from "effect";

const tags = ["storefront"];

export const productRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  const toView = imageView(deps.media?.baseUrl ?? "");
  const view = (p: Product, images: ReadonlyMap<string, ReadonlyArray<ProductImage>>) => ({ ...productView(p), images: (images.get(p.id) ?? []).map(toView) });
  const withImages = async (products: ReadonlyArray<Product>) => {
    const images = await deps.run(imagesOf(products.map((p) => p.id)));
    return products.map((p) => view(p, images));
  };

  route(app, deps, {
    method: "GET",
    url: "/api/products",
    summary: "Browse the catalog (listed products; archived ones are not shown), by name, optionally one category",
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
    summary: "One product of the catalog (an archived product is 404 product_not_found: carts and orders keep their own copy of it)",
    tags,
    access: "public",
    params: ProductIdParam,
    response: { status: 200, schema: ProductView, description: "The product" },
    // One store request: the product and its images share a partition.
    handler: async ({ params }) => {
      const { product, images } = await deps.run(listedProductWithImages(params.id));
      return { ...productView(product), images: images.map(toView) };
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/api/categories",
    summary: "The catalog's categories, by name, each with its number of listed products (archived ones are not counted; a category with none is absent)",
    tags,
    access: "public",
    response: { status: 200, schema: Schema.Struct({ items: Schema.Array(CategoryView) }), description: "Every category with listed products" },
    handler: async () => ({ items: await deps.run(listCategories) }),
  });
};
