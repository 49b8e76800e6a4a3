import { Effect, Either, Option } from "effect";
import type { ProductId } from "../shared/ids.js";
import { Clock, IdGenerator } from "../shared/ports.js";
import type { DomainEvent } from "../events/events.js";
import { ProductImageLimitReached, ProductImageUploadSettled } from "./errors.js";
import { ImageOps, maxImagesPerProduct, type ImageContentType, type ImageId, type ImagesState, type ProductImage, type RejectionReason, type UploadId, type UploadIntent } from "./image.js";
import { type ImagesWrite, ProductImageStore } from "./ports.js";
import { ProductStore } from "../inventory/ports.js";
import { ProductNotFound } from "../inventory/errors.js";
import { InventoryOps } from "../inventory/product.js";

export interface UploadRequest {
  readonly contentType: ImageContentType;
  readonly alt: string;
}

/** Records a pending intent for one upload; refused at once when the product is missing or already full. */
export const requestImageUpload = (productId: ProductId, request: UploadRequest, ttlMs: number) =>
  Effect.gen(function* () {
    const store = yield* ProductImageStore;
    const product = yield* Effect.flatMap(ProductStore, (products) => products.get(productId));
    if (Option.isNone(product)) return yield* new ProductNotFound({ productId });
    const { images } = yield* store.images(productId);
    if (images.length >= maxImagesPerProduct) return yield* new ProductImageLimitReached({ productId, max: maxImagesPerProduct });
    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    const id = (yield* Effect.flatMap(IdGenerator, (ids) => ids.next)) as UploadId;
    const intent: UploadIntent = { id, productId, contentType: request.contentType, alt: request.alt, expiresAt: (now + ttlMs) as UploadIntent["expiresAt"], status: "pending" };
    yield* store.createIntent(intent);
    return intent;
  });

const envelope = (intent: UploadIntent, now: number) => ({ eventId: `upload:${intent.id}`, version: 1 as const, occurredAt: now as UploadIntent["expiresAt"], productId: intent.productId, uploadId: intent.id });
const clockNow = Effect.flatMap(Clock, (c) => c.now);
/** An image's id is its upload's: one upload, at most one image. */
export const imageIdOf = (intent: UploadIntent): ImageId => intent.id as string as ImageId;

/** Settles a pending intent as rejected with its event, and with the product's images write when files are owed. */
export const settleRejected = (intent: UploadIntent, reason: RejectionReason, now: number, images?: ImagesWrite) => {
  const event: DomainEvent = { type: "ProductImageRejected", ...envelope(intent, now), reason };
  return Effect.flatMap(ProductImageStore, (s) => s.settle({ intent: { ...intent, status: "rejected", reason }, images, event }));
};

/** Settles a pending intent as rejected, with its reason and event (a duplicate finds it settled and does nothing). */
export const rejectUpload = (intent: UploadIntent, reason: RejectionReason) =>
  Effect.gen(function* () {
    yield* settleRejected(intent, reason, yield* clockNow);
    return { status: "rejected" as const, reason };
  });

/**
 * The image's files are owed a deletion unless the product shows it (or already owes them): for variants written by
 * a validator run whose attach found the upload settled by another run or by the sweep. Version-checked, retried.
 */
export const oweUnattachedFiles = (productId: ProductId, imageId: ImageId) =>
  Effect.gen(function* () {
    const store = yield* ProductImageStore;
    const state = yield* store.images(productId);
    if (state.images.some((i) => i.id === imageId) || state.filesDue.some((d) => d.imageId === imageId)) return false;
    const next = { images: state.images, filesDue: ImageOps.owe(state.filesDue, imageId, yield* clockNow) };
    yield* store.replaceImages(productId, { next, expectedVersion: state.version });
    return true;
  }).pipe(
    Effect.retry({ times: 5, while: (e) => e._tag === "ProductImagesChanged" }),
    Effect.catchTag("ProductNotFound", () => Effect.succeed(false)),
  );

/**
 * Attaches a validated image: the intent, the product's images and the event in one conditional write, retried when
 * another write got in first. Past the limit the upload is rejected, its variants owed a deletion in the same write.
 */
export const attachImage = (intent: UploadIntent, image: ProductImage) =>
  Effect.gen(function* () {
    const store = yield* ProductImageStore;
    const now = yield* clockNow;
    const state = yield* store.images(intent.productId);
    const next = ImageOps.add(intent.productId, state.images, image);
    if (Either.isLeft(next)) {
      const owed = { images: state.images, filesDue: ImageOps.owe(state.filesDue, image.id, now) };
      yield* settleRejected(intent, "image_limit", now, { next: owed, expectedVersion: state.version });
      return { status: "rejected" as const, reason: "image_limit" as const };
    }
    const event: DomainEvent = { type: "ProductImageAdded", ...envelope(intent, now), image };
    const images = { next: { images: next.right, filesDue: state.filesDue }, expectedVersion: state.version };
    yield* store.settle({ intent: { ...intent, status: "ready", imageId: image.id }, images, event });
    return { status: "ready" as const, image };
  }).pipe(
    Effect.retry({ times: 5, while: (e) => e._tag === "ProductImagesChanged" }),
    // Settled by a twin run (which attached the same files) or by the sweep (expired): what this run wrote is owed unless shown.
    Effect.tapErrorTag("ProductImageUploadSettled", () => oweUnattachedFiles(intent.productId, image.id)),
  );

/** The pending intent an uploaded key belongs to; settled, expired or unknown ones are reported as such. */
export const pendingIntent = (uploadId: string) =>
  Effect.gen(function* () {
    const intent = yield* Effect.flatMap(ProductImageStore, (s) => s.getIntent(uploadId));
    if (Option.isNone(intent) || intent.value.status !== "pending") return yield* new ProductImageUploadSettled({ uploadId });
    return intent.value;
  });

const changeImages = <E>(productId: ProductId, change: (state: ImagesState, now: number) => Either.Either<ImagesState, E>) =>
  Effect.gen(function* () {
    const store = yield* ProductImageStore;
    const { version, ...state } = yield* store.images(productId);
    const next = yield* change(state, yield* clockNow);
    yield* store.replaceImages(productId, { next, expectedVersion: version });
    return next.images;
  });

/** Admin: takes an image off the product; its files are owed a deletion in the same write (the image sweep deletes them). */
export const removeImage = (productId: ProductId, imageId: string) =>
  changeImages(productId, (state, now) => Either.map(ImageOps.remove(productId, state.images, imageId), () => ImageOps.release(state, now, [imageId])));

/** Admin: puts the product's images in the given order (every image named once). */
export const reorderImages = (productId: ProductId, order: ReadonlyArray<string>) =>
  changeImages(productId, (state) => Either.map(ImageOps.reorder(productId, state.images, order), (images) => ({ images, filesDue: state.filesDue })));

/** A product of the catalog with its images, in one store read: an archived or missing product is not found. */
export const listedProductWithImages = (productId: ProductId) =>
  Effect.flatMap(ProductImageStore, (store) => store.withImages(productId)).pipe(
    Effect.flatMap((read) =>
      Option.isSome(read) && InventoryOps.listed(read.value.product) ? Effect.succeed(read.value) : Effect.fail(new ProductNotFound({ productId })),
    ),
  );

/** The images of each product (a storefront page): one read per product, concurrently. */
export const imagesOf = (productIds: ReadonlyArray<ProductId>) =>
  Effect.flatMap(ProductImageStore, (store) =>
    Effect.forEach(productIds, (id) => Effect.map(store.images(id), ({ images }) => [id, images] as const), { concurrency: 16 }),
  ).pipe(Effect.map((entries) => new Map<string, ReadonlyArray<ProductImage>>(entries)));

/** The intent of an upload, for the admin to see whether it is ready or why it was rejected. */
export const uploadStatus = (uploadId: string) =>
  Effect.flatMap(ProductImageStore, (s) => s.getIntent(uploadId)).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new ProductImageUploadSettled({ uploadId })), onSome: Effect.succeed })),
  );
