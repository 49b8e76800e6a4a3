import { Either, Schema } from "effect";
import { ProductId, Timestamp } from "../shared/ids.js";
import { PlainLine } from "../shared/text.js";
import { ProductImageLimitReached, ProductImageNotFound, ProductImageOrderInvalid } from "./errors.js";

/** The most images one product shows; attaching past it is refused (the upload is rejected). */
export const maxImagesPerProduct = 12;

const Id = <B extends string>(brand: B) =>
  Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/, { message: () => "Expected 1 to 64 letters, digits, \"_\" or \"-\"" }), Schema.brand(brand));
export const ImageId = Id("ImageId");
export type ImageId = typeof ImageId.Type;
export const UploadId = Id("UploadId");
export type UploadId = typeof UploadId.Type;

export const AltText = PlainLine(300);
const Pixels = Schema.Int.pipe(Schema.between(1, 100_000));

/** One encoding of an image: its width in pixels and its content-addressed key in the media bucket. */
export const ImageVariant = Schema.Struct({ width: Pixels, height: Pixels, key: Schema.String.pipe(Schema.pattern(/^images\/[A-Za-z0-9_\-/.]+$/)) });
export type ImageVariant = typeof ImageVariant.Type;

/** A validated, re-encoded image of a product; `variants` from smallest to the original size. */
export const ProductImage = Schema.Struct({
  id: ImageId,
  alt: AltText,
  width: Pixels,
  height: Pixels,
  variants: Schema.NonEmptyArray(ImageVariant),
});
export type ProductImage = typeof ProductImage.Type;

export const UploadStatus = Schema.Literal("pending", "ready", "rejected");
export const ImageContentType = Schema.Literal("image/jpeg", "image/png", "image/webp");
export type ImageContentType = typeof ImageContentType.Type;

/** Why a file was refused; the intent keeps it (`detail` in words for the admin). */
export const RejectionReason = Schema.Literal(
  "type_mismatch", "unsupported_type", "too_large", "too_many_pixels", "dimensions_out_of_range", "undecodable", "expired", "image_limit",
);
export type RejectionReason = typeof RejectionReason.Type;

/** The server's promise of one upload: the key it chose, the type and alt text declared, until when. */
export const UploadIntent = Schema.Struct({
  id: UploadId,
  productId: ProductId,
  contentType: ImageContentType,
  alt: AltText,
  expiresAt: Timestamp,
  status: UploadStatus,
  reason: Schema.optional(RejectionReason),
  imageId: Schema.optional(ImageId),
});
export type UploadIntent = typeof UploadIntent.Type;

/**
 * An image whose files are owed a deletion: taken off its product (by an admin, or the archived-products sweep), or
 * never attached (rejected or expired after the validator may have written its variants). The image sweep deletes
 * its folder, then drops the entry. An image id is its upload's id, and an upload settles once: an image owed a
 * deletion can never be attached again, so deleting its folder never takes a file a product shows.
 */
export const FilesDue = Schema.Struct({ imageId: ImageId, since: Timestamp });
export type FilesDue = typeof FilesDue.Type;

/** Every file of one image lives under its own folder: deleting one image's files never touches another's. */
export const imageFolder = (productId: string, imageId: string): string => `images/${productId}/${imageId}/`;

/** Where an upload lands: the validator listens on `incoming/` only and writes under `images/`. */
export const incomingKey = (intent: Pick<UploadIntent, "productId" | "id">): string => `incoming/${intent.productId}/${intent.id}`;
export const uploadIdOfKey = (key: string): { productId: string; uploadId: string } | undefined => {
  const match = /^incoming\/([A-Za-z0-9_-]{1,64})\/([A-Za-z0-9_-]{1,64})$/.exec(key);
  return match ? { productId: match[1]!, uploadId: match[2]! } : undefined;
};

type Images = ReadonlyArray<ProductImage>;

/** A product's images and the files it owes, as one value (one item, one conditional write). */
export interface ImagesState {
  readonly images: Images;
  readonly filesDue: ReadonlyArray<FilesDue>;
}

export const ImageOps = {
  /** Appends the image, at most maxImagesPerProduct; the same image id twice is one image. */
  add: (productId: string, images: Images, image: ProductImage): Either.Either<Images, ProductImageLimitReached> =>
    images.some((i) => i.id === image.id)
      ? Either.right(images)
      : images.length >= maxImagesPerProduct
        ? Either.left(new ProductImageLimitReached({ productId, max: maxImagesPerProduct }))
        : Either.right([...images, image]),

  remove: (productId: string, images: Images, imageId: string): Either.Either<Images, ProductImageNotFound> =>
    images.some((i) => i.id === imageId)
      ? Either.right(images.filter((i) => i.id !== imageId))
      : Either.left(new ProductImageNotFound({ productId, imageId })),

  /** The new order must name every image exactly once. */
  reorder: (productId: string, images: Images, order: ReadonlyArray<string>): Either.Either<Images, ProductImageOrderInvalid> => {
    const byId = new Map(images.map((i) => [i.id as string, i]));
    const same = order.length === images.length && new Set(order).size === order.length && order.every((id) => byId.has(id));
    return same ? Either.right(order.map((id) => byId.get(id)!)) : Either.left(new ProductImageOrderInvalid({ productId, expected: images.map((i) => i.id) }));
  },

  /** The image's files owed a deletion from `now`, unless they already are. */
  owe: (filesDue: ReadonlyArray<FilesDue>, imageId: ImageId, now: number): ReadonlyArray<FilesDue> =>
    filesDue.some((d) => d.imageId === imageId) ? filesDue : [...filesDue, { imageId, since: now as FilesDue["since"] }],

  /** Takes the named images off the product (all when none are named), their files owed a deletion. */
  release: (state: ImagesState, now: number, imageIds?: ReadonlyArray<string>): ImagesState => {
    const released = state.images.filter((i) => imageIds === undefined || imageIds.includes(i.id));
    return {
      images: state.images.filter((i) => !released.includes(i)),
      filesDue: released.reduce((due, i) => ImageOps.owe(due, i.id, now), state.filesDue),
    };
  },

  /** A pending intent past its expiry can no longer attach. */
  isLive: (intent: UploadIntent, now: number): boolean => intent.status === "pending" && now < intent.expiresAt,
};
