import { Effect, Either, Option } from "effect";
import type { ProductId } from "../shared/ids.js";
import { Clock, IdGenerator } from "../shared/ports.js";
import type { DomainEvent } from "../events/events.js";
import { ProductImageLimitReached, ProductImageUploadSettled } from "./errors.js";
import { ImageOps, maxImagesPerProduct, type ImageContentType, type ProductImage, type RejectionReason, type UploadId, type UploadIntent } from "./image.js";
import { ProductImageStore } from "./ports.js";
import { ProductStore } from "../inventory/ports.js";
import { ProductNotFound } from "../inventory/errors.js";

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

/** Settles a pending intent as rejected, with its reason and event (a duplicate finds it settled and does nothing). */
export const rejectUpload = (intent: UploadIntent, reason: RejectionReason) =>
  Effect.gen(function* () {
    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    const event: DomainEvent = { type: "ProductImageRejected", ...envelope(intent, now), reason };
    yield* Effect.flatMap(ProductImageStore, (s) => s.settle({ intent: { ...intent, status: "rejected", reason }, event }));
    return { status: "rejected" as const, reason };
  });

/** Attaches a validated image: the intent, the product's images and the event in one conditional write, retried when another image got in first. */
export const attachImage = (intent: UploadIntent, image: ProductImage) =>
  Effect.gen(function* () {
    const store = yield* ProductImageStore;
    const now = yield* Effect.flatMap(Clock, (c) => c.now);
    const { images, version } = yield* store.images(intent.productId);
    const next = ImageOps.add(intent.productId, images, image);
    if (Either.isLeft(next)) return yield* rejectUpload(intent, "image_limit");
    const event: DomainEvent = { type: "ProductImageAdded", ...envelope(intent, now), image };
    yield* store.settle({ intent: { ...intent, status: "ready", imageId: image.id }, images: { next: next.right, expectedVersion: version }, event });
    return { status: "ready" as const, image };
  }).pipe(Effect.retry({ times: 5, while: (e) => e._tag === "ProductImagesChanged" }));

/** The pending intent an uploaded key belongs to; settled, expired or unknown ones are reported as such. */
export const pendingIntent = (uploadId: string) =>
  Effect.gen(function* () {
    const intent = yield* Effect.flatMap(ProductImageStore, (s) => s.getIntent(uploadId));
    if (Option.isNone(intent) || intent.value.status !== "pending") return yield* new ProductImageUploadSettled({ uploadId });
    return intent.value;
  });

const changeImages = <E>(productId: ProductId, change: (images: ReadonlyArray<ProductImage>) => Either.Either<ReadonlyArray<ProductImage>, E>) =>
  Effect.gen(function* () {
    const store = yield* ProductImageStore;
    const { images, version } = yield* store.images(productId);
    const next = yield* change(images);
    yield* store.replaceImages(productId, next, version);
    return next;
  });

/** Admin: takes an image off the product (its files go with the next image sweep). */
export const removeImage = (productId: ProductId, imageId: string) => changeImages(productId, (images) => ImageOps.remove(productId, images, imageId));

/** Admin: puts the product's images in the given order (every image named once). */
export const reorderImages = (productId: ProductId, order: ReadonlyArray<string>) =>
  changeImages(productId, (images) => ImageOps.reorder(productId, images, order));

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
