import { Effect, Layer, Option } from "effect";
import { ProductImagesChanged, ProductImageStore, type ProductImageStoreShape, ProductImageUploadSettled, ProductNotFound } from "../../domain/index.js";
import type { MemoryDb } from "./db.js";

const noImages = { images: [], version: 0 };

export const memoryImageStore = (db: MemoryDb): ProductImageStoreShape => {
  const current = (productId: string) => db.images.get(productId) ?? noImages;
  const exists = (productId: string) => (db.products.has(productId) ? Effect.void : Effect.fail(new ProductNotFound({ productId })));
  return {
    createIntent: (intent) => Effect.sync(() => void db.uploads.set(intent.id, intent)),
    getIntent: (id) => Effect.sync(() => Option.fromNullable(db.uploads.get(id))),
    images: (productId) => Effect.sync(() => current(productId)),
    settle: ({ intent, images, event }) =>
      Effect.gen(function* () {
        if (db.uploads.get(intent.id)?.status !== "pending") return yield* new ProductImageUploadSettled({ uploadId: intent.id });
        if (images) {
          yield* exists(intent.productId);
          if (current(intent.productId).version !== images.expectedVersion) return yield* new ProductImagesChanged({ productId: intent.productId });
          db.images.set(intent.productId, { images: images.next, version: images.expectedVersion + 1 });
        }
        db.uploads.set(intent.id, intent);
        db.outbox.push(event);
      }),
    replaceImages: (productId, next, expectedVersion) =>
      Effect.gen(function* () {
        yield* exists(productId);
        if (current(productId).version !== expectedVersion) return yield* new ProductImagesChanged({ productId });
        db.images.set(productId, { images: next, version: expectedVersion + 1 });
      }),
  };
};

export const MemoryImageStore = (db: MemoryDb) => Layer.succeed(ProductImageStore, memoryImageStore(db));
