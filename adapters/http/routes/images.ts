import { Schema } from "effect";
import type { FastifyInstance } from "fastify";
import { ImageContentType, ImageId, AltText, ProductImageUploadsDisabled, removeImage, reorderImages, requestImageUpload, UploadId, uploadStatus, ProductId } from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { ProductIdParam } from "../schemas.js";
import { ImageView, imageView, UploadFormView, UploadView, uploadView } from "../image-views.js";

const access = "admin" as const;
const tags = ["admin: catalog"];
const UploadBody = Schema.Struct({ contentType: ImageContentType, alt: AltText.annotations({ description: "What the image shows, for shoppers who cannot see it" }) });
const ImageParam = Schema.Struct({ id: ProductId, imageId: ImageId });
const OrderBody = Schema.Struct({ order: Schema.Array(ImageId).pipe(Schema.maxItems(50)).annotations({ description: "Every image id of the product, once, in the new order" }) });
const Images = Schema.Array(ImageView);

const howTo =
  "Answers a presigned POST form (short expiry, the size range, the declared type, a key chosen by the server under incoming/). Upload with curl: " +
  "`curl -F key=… -F Content-Type=image/jpeg -F …every field… -F file=@photo.jpg <url>` (the fields first, `file` last). " +
  "The validator checks, re-encodes and attaches it (GET /api/admin/uploads/{id} says ready, or rejected and why).";

export const imageRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  const base = () => deps.media?.baseUrl ?? "";

  route(app, deps, {
    access,
    tags,
    method: "POST",
    url: "/api/admin/products/:id/images",
    summary: "Start an image upload: a presigned form straight to the media bucket (the API never carries the bytes)",
    description: howTo,
    params: ProductIdParam,
    body: UploadBody,
    response: { status: 201, schema: UploadFormView, description: "The form to POST the file with" },
    handler: async ({ params, body }) => {
      const media = deps.media;
      if (!media) throw new ProductImageUploadsDisabled();
      const intent = await deps.run(requestImageUpload(params.id, body, media.uploadTtlSeconds * 1000));
      const form = await media.presign(intent);
      return { ...form, uploadId: intent.id, expiresAt: intent.expiresAt };
    },
  });

  route(app, deps, {
    access,
    tags,
    method: "GET",
    url: "/api/admin/uploads/:id",
    summary: "An upload: pending, ready (its image id), or rejected (why)",
    params: Schema.Struct({ id: UploadId }),
    response: { status: 200, schema: UploadView, description: "The upload" },
    handler: async ({ params }) => uploadView(await deps.run(uploadStatus(params.id))),
  });

  route(app, deps, {
    access,
    tags,
    method: "DELETE",
    url: "/api/admin/products/:id/images/:imageId",
    summary: "Take an image off a product (its files are deleted by the next image sweep)",
    params: ImageParam,
    response: { status: 200, schema: Images, description: "The product's images now" },
    handler: async ({ params }) => (await deps.run(removeImage(params.id, params.imageId))).map(imageView(base())),
  });

  route(app, deps, {
    access,
    tags,
    method: "PUT",
    url: "/api/admin/products/:id/images/order",
    summary: "Put a product's images in a new order (the first is the cover)",
    params: ProductIdParam,
    body: OrderBody,
    response: { status: 200, schema: Images, description: "The product's images now" },
    handler: async ({ params, body }) => (await deps.run(reorderImages(params.id, body.order))).map(imageView(base())),
  });
};
