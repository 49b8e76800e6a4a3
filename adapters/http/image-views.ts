/** Images on the wire: each variant's URL from the stack's media base (CloudFront, or the local emulator). */
import { Schema } from "effect";
import { AltText, ImageContentType, ImageId, IsoTimestamp, type ProductImage, RejectionReason, UploadId, UploadStatus, type UploadIntent } from "../../domain/index.js";

const Variant = Schema.Struct({ width: Schema.Int, height: Schema.Int, url: Schema.String });
export const ImageView = Schema.Struct({
  id: ImageId,
  alt: AltText,
  width: Schema.Int,
  height: Schema.Int,
  /** The original size, re-encoded (WebP, metadata stripped). */
  url: Schema.String,
  /** Smallest first, the original size last; immutable URLs (content-addressed), cached for a year. */
  variants: Schema.Array(Variant),
}).annotations({ identifier: "ProductImage" });

export const imageView = (baseUrl: string) => (image: ProductImage) => {
  const variants = image.variants.map((v) => ({ width: v.width, height: v.height, url: `${baseUrl}/${v.key}` }));
  return { id: image.id, alt: image.alt, width: image.width, height: image.height, url: variants[variants.length - 1]!.url, variants };
};

export const UploadFormView = Schema.Struct({
  uploadId: UploadId,
  url: Schema.String.annotations({ description: "POST a multipart/form-data form here" }),
  fields: Schema.Record({ key: Schema.String, value: Schema.String }).annotations({ description: "Every field, as given, before the file; the file goes last, in the field `file`" }),
  maxBytes: Schema.Int,
  expiresAt: IsoTimestamp,
}).annotations({ identifier: "UploadForm" });

export const UploadView = Schema.Struct({
  id: UploadId,
  productId: Schema.String,
  contentType: ImageContentType,
  status: UploadStatus,
  reason: Schema.optional(RejectionReason),
  imageId: Schema.optional(ImageId),
  expiresAt: IsoTimestamp,
}).annotations({ identifier: "Upload" });

export const uploadView = (i: UploadIntent) => ({
  id: i.id,
  productId: i.productId,
  contentType: i.contentType,
  status: i.status,
  expiresAt: i.expiresAt,
  ...(i.reason === undefined ? {} : { reason: i.reason }),
  ...(i.imageId === undefined ? {} : { imageId: i.imageId }),
});
