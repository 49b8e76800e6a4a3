import { Context, type Effect, type Option } from "effect";
import type { PersistenceUnavailable } from "../shared/errors.js";
import type { ProductId } from "../shared/ids.js";
import type { ProductNotFound } from "../inventory/errors.js";
import type { DomainEvent } from "../events/events.js";
import type { ProductImage, UploadIntent } from "./image.js";
import type { ProductImagesChanged, ProductImageUploadSettled } from "./errors.js";

/** A product's images as read, with the version a write must still find. */
export interface ProductImages {
  readonly images: ReadonlyArray<ProductImage>;
  readonly version: number;
}

/** A settlement of a pending intent, written in one conditional write with its event. */
export interface Settlement {
  readonly intent: UploadIntent;
  /** Only when attaching: the product's images after it, and the version read. */
  readonly images?: { readonly next: ReadonlyArray<ProductImage>; readonly expectedVersion: number } | undefined;
  readonly event: DomainEvent;
}

export interface ProductImageStoreShape {
  readonly createIntent: (intent: UploadIntent) => Effect.Effect<void, PersistenceUnavailable>;
  readonly getIntent: (id: string) => Effect.Effect<Option.Option<UploadIntent>, PersistenceUnavailable>;
  /** A product's images (none, at version 0, for a product that never had one). */
  readonly images: (productId: ProductId) => Effect.Effect<ProductImages, PersistenceUnavailable>;
  /**
   * Moves a pending intent to ready or rejected, with the product's new images (when attaching) and the event,
   * all or nothing: ProductImageUploadSettled when the intent is not pending (a duplicate event),
   * ProductImagesChanged when the images are no longer at `expectedVersion`.
   */
  readonly settle: (
    settlement: Settlement,
  ) => Effect.Effect<void, ProductImageUploadSettled | ProductImagesChanged | ProductNotFound | PersistenceUnavailable>;
  /** Replaces the images (an admin's remove or reorder) if they are still at `expectedVersion`. */
  readonly replaceImages: (
    productId: ProductId,
    next: ReadonlyArray<ProductImage>,
    expectedVersion: number,
  ) => Effect.Effect<void, ProductImagesChanged | ProductNotFound | PersistenceUnavailable>;
}
export class ProductImageStore extends Context.Tag("cartwright/ProductImageStore")<ProductImageStore, ProductImageStoreShape>() {}

