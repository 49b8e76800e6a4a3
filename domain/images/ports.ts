import { Context, type Effect, type Option } from "effect";
import type { PersistenceUnavailable } from "../shared/errors.js";
import type { ProductId } from "../shared/ids.js";
import type { ProductNotFound } from "../inventory/errors.js";
import type { Product } from "../inventory/product.js";
import type { DomainEvent } from "../events/events.js";
import type { ImageId, ImagesState, ProductImage, UploadIntent } from "./image.js";
import type { ProductImagesChanged, ProductImageStorageUnavailable, ProductImageUploadSettled } from "./errors.js";

/** A product's images and the files it owes, as read, with the version a write must still find. */
export interface ProductImages extends ImagesState {
  readonly version: number;
}

/** A product's images and owed files as written: only if still at `expectedVersion`. */
export interface ImagesWrite {
  readonly next: ImagesState;
  readonly expectedVersion: number;
  /** Also only if the product is still archived since exactly this time (the sweep of archived products' images). */
  readonly archivedAt?: number | undefined;
}

/** A settlement of a pending intent, written in one conditional write with its event. */
export interface Settlement {
  readonly intent: UploadIntent;
  /** The product's images and owed files after it (an attach, or a rejection that owes the variants written). */
  readonly images?: ImagesWrite | undefined;
  readonly event: DomainEvent;
}

/** A product with the images it shows: what a storefront page of it needs. */
export interface ProductWithImages {
  readonly product: Product;
  readonly images: ReadonlyArray<ProductImage>;
}

export interface ProductImageStoreShape {
  readonly createIntent: (intent: UploadIntent) => Effect.Effect<void, PersistenceUnavailable>;
  readonly getIntent: (id: string) => Effect.Effect<Option.Option<UploadIntent>, PersistenceUnavailable>;
  /** A product's images and owed files (none, at version 0, for a product that never had one). */
  readonly images: (productId: ProductId) => Effect.Effect<ProductImages, PersistenceUnavailable>;
  /**
   * The product and its images, each as last committed (one request, the product page's only one: the two items
   * share a partition on DynamoDB; not a snapshot of both, as two reads were not): none when the product does not
   * exist, archived or not.
   */
  readonly withImages: (productId: ProductId) => Effect.Effect<Option.Option<ProductWithImages>, PersistenceUnavailable>;
  /**
   * Moves a pending intent to ready or rejected, with the product's new images (when given) and the event,
   * all or nothing: ProductImageUploadSettled when the intent is not pending (a duplicate event),
   * ProductImagesChanged when the images are no longer at `expectedVersion`.
   */
  readonly settle: (
    settlement: Settlement,
  ) => Effect.Effect<void, ProductImageUploadSettled | ProductImagesChanged | ProductNotFound | PersistenceUnavailable>;
  /**
   * Replaces the images and owed files (an admin's remove or reorder, a sweep) if they are still at `expectedVersion`
   * (and the product still archived at `archivedAt`, when given; ProductImagesChanged otherwise).
   */
  readonly replaceImages: (productId: ProductId, write: ImagesWrite) => Effect.Effect<void, ProductImagesChanged | ProductNotFound | PersistenceUnavailable>;
  /** Products that owe file deletions, longest owed first, at most `limit` (the image sweep). */
  readonly listFilesDue: (limit: number) => Effect.Effect<ReadonlyArray<ProductId>, PersistenceUnavailable>;
  /** Pending intents that expired before `before`, soonest expired first, at most `limit` (the image sweep). */
  readonly listExpiredIntents: (before: number, limit: number) => Effect.Effect<ReadonlyArray<UploadIntent>, PersistenceUnavailable>;
}
export class ProductImageStore extends Context.Tag("cartwright/ProductImageStore")<ProductImageStore, ProductImageStoreShape>() {}

export interface MediaFilesShape {
  /** Deletes every file under the image's folder (`images/<product>/<image>/`): how many there were; none is no error. */
  readonly deleteImageFiles: (productId: ProductId, imageId: ImageId) => Effect.Effect<number, ProductImageStorageUnavailable>;
}
/** Where images' files are kept (the media bucket): only the image sweep deletes from it. */
export class MediaFiles extends Context.Tag("cartwright/MediaFiles")<MediaFiles, MediaFilesShape>() {}
