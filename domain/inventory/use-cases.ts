import { Effect, Option } from "effect";
import type { ProductId } from "../shared/ids.js";
import type { PageRequest } from "../shared/page.js";
import { IdGenerator } from "../shared/ports.js";
import type { Money } from "../pricing/money.js";
import { ProductNotFound } from "./errors.js";
import type { Product, ProductPatch } from "./product.js";
import { ProductStore } from "./ports.js";

export interface NewProduct {
  readonly id?: ProductId | undefined;
  readonly name: string;
  readonly category: string;
  readonly description?: string | undefined;
  readonly price: Money;
  readonly stock: number;
}

export const createProduct = (input: NewProduct) =>
  Effect.gen(function* () {
    const id = input.id ?? ((yield* Effect.flatMap(IdGenerator, (ids) => ids.next)) as ProductId);
    const product: Product = {
      id,
      name: input.name,
      category: input.category,
      description: input.description ?? "",
      price: input.price,
      stock: input.stock,
      reserved: 0,
    };
    yield* Effect.flatMap(ProductStore, (products) => products.create(product));
    return product;
  });

export const getProduct = (id: ProductId) =>
  Effect.flatMap(ProductStore, (products) => products.get(id)).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new ProductNotFound({ productId: id })), onSome: Effect.succeed })),
  );

export const listProducts = (query: PageRequest & { readonly category?: string | undefined }) =>
  Effect.flatMap(ProductStore, (products) => products.list(query));

/** Price changes apply to new holds only: existing holds and orders keep their snapshots. */
export const updateProduct = (id: ProductId, patch: ProductPatch) =>
  Effect.flatMap(ProductStore, (products) => products.update(id, patch));

export const adjustStock = (id: ProductId, delta: number) =>
  Effect.flatMap(ProductStore, (products) => products.adjustStock(id, delta));

export const lowStockReport = (belowAvailable: number, page: PageRequest) =>
  Effect.flatMap(ProductStore, (products) => products.lowStock(belowAvailable, page));
