import { Effect, Layer, Option } from "effect";
import {
  type ImagesWrite,
  type ProductId,
  ProductImagesChanged,
  ProductImageStore,
  type ProductImageStoreShape,
  ProductImageUploadSettled,
  ProductNotFound,
} from "../../domain/index.js";
import type { MemoryDb } from "./db.js";

const noImages = { images: [], filesDue: [], version: 0 };

export const memoryImageStore = (db: MemoryDb): ProductImageStoreShape => {
  const current = (productId: string) => db.images.get(productId) ?? noImages;
  // Same guards as the DynamoDB write: the product exists (archived since `archivedAt`, when given), the version read.
  const check = (productId: string, write: ImagesWrite) =>
    Effect.gen(function* () {
      const product = db.products.get(productId);
      if (!product) return yield* new ProductNotFound({ productId });
      const stale = current(productId).version !== write.expectedVersion || (write.archivedAt !== undefined && product.archivedAt !== write.archivedAt);
      if (stale) return yield* new ProductImagesChanged({ productId });
    });
  const put = (productId: string, write: ImagesWrite) => db.images.set(productId, { ...write.next, version: write.expectedVersion + 1 });
  const oldestDue = (productId: string) => Math.min(...current(productId).filesDue.map((d) => d.since));
  return {
    createIntent: (intent) => Effect.sync(() => void db.uploads.set(intent.id, intent)),
    getIntent: (id) => Effect.sync(() => Option.fromNullable(db.uploads.get(id))),
    images: (productId) => Effect.sync(() => current(productId)),
    withImages: (productId) =>
      Effect.sync(() => Option.map(Option.fromNullable(db.products.get(productId)), (product) => ({ product, images: current(productId).images }))),
    settle: ({ intent, images, event }) =>
      Effect.gen(function* () {
        if (db.uploads.get(intent.id)?.status !== "pending") return yield* new ProductImageUploadSettled({ uploadId: intent.id });
        if (images) {
          yield* check(intent.productId, images);
          put(intent.productId, images);
        }
        db.uploads.set(intent.id, intent);
        db.outbox.push(event);
      }),
    replaceImages: (productId, write) =>
      Effect.gen(function* () {
        yield* check(productId, write);
        put(productId, write);
      }),
    listFilesDue: (limit) =>
      Effect.sync(() =>
        [...db.images.entries()]
          .filter(([, s]) => s.filesDue.length > 0)
          .map(([id]) => id as ProductId)
          .sort((a, b) => oldestDue(a) - oldestDue(b) || (a < b ? -1 : 1))
          .slice(0, limit),
      ),
    listExpiredIntents: (before, limit) =>
      Effect.sync(() =>
        [...db.uploads.values()]
          .filter((i) => i.status === "pending" && i.expiresAt < before)
          .sort((a, b) => a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : 1))
          .slice(0, limit),
      ),
  };
};

export const MemoryImageStore = (db: MemoryDb) => Layer.succeed(ProductImageStore, memoryImageStore(db));
