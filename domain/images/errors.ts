import { Schema } from "effect";

export class ProductImageLimitReached extends Schema.TaggedError<ProductImageLimitReached>()("ProductImageLimitReached", {
  productId: Schema.String,
  max: Schema.Number,
}) {}

export class ProductImageNotFound extends Schema.TaggedError<ProductImageNotFound>()("ProductImageNotFound", {
  productId: Schema.String,
  imageId: Schema.String,
}) {}

/** A reorder that does not name each of the product's images exactly once. */
export class ProductImageOrderInvalid extends Schema.TaggedError<ProductImageOrderInvalid>()("ProductImageOrderInvalid", {
  productId: Schema.String,
  expected: Schema.Array(Schema.String),
}) {}

/** Two admins changed a product's images at once; the loser changed nothing. */
export class ProductImagesChanged extends Schema.TaggedError<ProductImagesChanged>()("ProductImagesChanged", {
  productId: Schema.String,
}) {}

/** The intent is already ready or rejected (a duplicate event), or was never made. */
export class ProductImageUploadSettled extends Schema.TaggedError<ProductImageUploadSettled>()("ProductImageUploadSettled", {
  uploadId: Schema.String,
}) {}

/** This deployment has no media bucket configured: uploads cannot be offered. */
export class ProductImageUploadsDisabled extends Schema.TaggedError<ProductImageUploadsDisabled>()("ProductImageUploadsDisabled", {}) {}

/** The media bucket did not answer or refused a deletion; nothing is dropped from what is owed (the next sweep retries). */
export class ProductImageStorageUnavailable extends Schema.TaggedError<ProductImageStorageUnavailable>()("ProductImageStorageUnavailable", {
  operation: Schema.String,
  reason: Schema.String,
}) {}
