/** A product gallery on a store layer, with its bucket as a set of keys: what the image sweep tests drive. */
import { Effect, type Layer, Layer as L, ManagedRuntime } from "effect";
import {
  attachImage,
  createProduct,
  imageFolder,
  type ImageId,
  MediaFiles,
  type ProductId,
  type ProductImage,
  ProductImageStore,
  ProductStore,
  requestImageUpload,
  setProductArchived,
  type UploadIntent,
} from "../../domain/index.js";
import { makeManualClock, SequentialIds } from "../../adapters/memory/layer.js";
import { memoryMediaFiles } from "../../adapters/media/image-files.js";
import type { StoreServices } from "../../adapters/http/runtime.js";

export const dayMs = 24 * 60 * 60 * 1000;
export const retentionMs = 30 * dayMs;

/** What the validator would make of an upload: two variants in the image's own folder. */
export const imageOf = (intent: UploadIntent): ProductImage => {
  const folder = imageFolder(intent.productId, intent.id);
  return {
    id: intent.id as string as ImageId,
    alt: "a",
    width: 800,
    height: 600,
    variants: [
      { width: 200, height: 150, key: `${folder}0f0f-200.webp` },
      { width: 800, height: 600, key: `${folder}0f0f-800.webp` },
    ],
  };
};

export interface GalleryOptions {
  /** Runs after every read of a product's images, before the caller acts on it: a window for another writer. */
  readonly afterImagesRead?: (productId: ProductId, products: typeof ProductStore.Service) => Effect.Effect<void, unknown>;
}

export const openGallery = async (stores: Layer.Layer<StoreServices>, options: GalleryOptions = {}) => {
  const clock = makeManualClock(Date.UTC(2027, 0, 1));
  const files = new Set<string>();
  let failing = false;
  const window = L.effect(
    ProductImageStore,
    Effect.gen(function* () {
      const inner = yield* ProductImageStore;
      const products = yield* ProductStore;
      const hook = options.afterImagesRead;
      return hook ? { ...inner, images: (p: ProductId) => Effect.tap(inner.images(p), () => Effect.orDie(hook(p, products))) } : inner;
    }),
  );
  const layer = L.mergeAll(L.provideMerge(window, stores), clock.layer, SequentialIds("u"), L.succeed(MediaFiles, memoryMediaFiles(files, { failing: () => failing })));
  const runtime = ManagedRuntime.make(layer);
  const run = <A, E>(effect: Effect.Effect<A, E, L.Layer.Success<typeof layer>>) => runtime.runPromise(effect);
  const either = <A, E>(effect: Effect.Effect<A, E, L.Layer.Success<typeof layer>>) => runtime.runPromise(Effect.either(effect));
  const product = (id: string) => run(createProduct({ id: id as ProductId, name: id, category: "tea", price: { amount: 100, currency: "EUR" } as never, stock: 1 })).then(() => id as ProductId);
  const intent = (productId: ProductId) => run(requestImageUpload(productId, { contentType: "image/png", alt: "a" }, 5 * 60_000));
  /** The validator's work for an intent: its variants written, then the attach (which may be refused). */
  const validate = async (i: UploadIntent) => {
    const image = imageOf(i);
    for (const v of image.variants) files.add(v.key);
    return either(attachImage(i, image));
  };
  const upload = async (productId: ProductId) => {
    const i = await intent(productId);
    await validate(i);
    return imageOf(i);
  };
  return {
    clock,
    files,
    run,
    either,
    product,
    intent,
    validate,
    upload,
    setFailing: (value: boolean) => void (failing = value),
    state: (productId: ProductId) => run(Effect.flatMap(ProductImageStore, (s) => s.images(productId))),
    archive: (productId: ProductId, archived = true) => run(setProductArchived(productId, archived)),
    folderOf: (productId: ProductId, imageId: string) => [...files].filter((k) => k.startsWith(imageFolder(productId, imageId))),
    dispose: () => runtime.dispose(),
  };
};
export type Gallery = Awaited<ReturnType<typeof openGallery>>;
