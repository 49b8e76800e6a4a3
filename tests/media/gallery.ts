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

/** A one-shot interleaving: run inside the window between a read of the product's images and what the reader then writes. */
export interface Window {
  armed?: ((productId: ProductId) => Promise<unknown>) | undefined;
}

export const openGallery = async (stores: Layer.Layer<StoreServices>) => {
  const clock = makeManualClock(Date.UTC(2027, 0, 1));
  const files = new Set<string>();
  let failing = false;
  const window: Window = {};
  // Disarmed before it runs, so what it runs (which reads images too) is not interleaved again.
  const interleave = (p: ProductId) => {
    const run = window.armed;
    window.armed = undefined;
    return run ? Effect.promise(() => run(p)) : Effect.void;
  };
  const windowed = L.effect(
    ProductImageStore,
    Effect.map(ProductImageStore, (inner) => ({ ...inner, images: (p: ProductId) => Effect.tap(inner.images(p), () => interleave(p)) })),
  );
  const layer = L.mergeAll(L.provideMerge(windowed, stores), clock.layer, SequentialIds("u"), L.succeed(MediaFiles, memoryMediaFiles(files, { failing: () => failing })));
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
    window,
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
