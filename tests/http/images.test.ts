import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachImage, type ImageId, type ProductImage, ProductImageStore, type UploadIntent } from "../../domain/index.js";
import { makeS3 } from "../../adapters/media/s3.js";
import { presignUpload } from "../../adapters/media/presign.js";
import { makeTestApi, problemOf, type TestApi } from "./support.js";

const baseUrl = "https://cdn.example";
const s3 = makeS3("http://127.0.0.1:9");
const media = { baseUrl, uploadTtlSeconds: 300, presign: (i: UploadIntent) => presignUpload(s3, { bucket: "media-test", maxUploadBytes: 1024 * 1024, uploadTtlSeconds: 300 }, i) };
let api: TestApi;
let admin: Awaited<ReturnType<TestApi["user"]>>;

beforeAll(async () => {
  api = await makeTestApi({ media });
  admin = await api.user("admin");
});
afterAll(() => api.close());

const image = (id: string): ProductImage => ({ id: id as ImageId, alt: "a", width: 800, height: 600, variants: [{ width: 800, height: 600, key: `images/p/${id}-800.webp` }] });

const startUpload = (productId: string, body: object, headers = admin.headers) =>
  api.request({ method: "POST", url: `/api/admin/products/${productId}/images`, headers, payload: body });

describe("POST /api/admin/products/:id/images", () => {
  it("answers a presigned form for the product's incoming/ key and records a pending upload", async () => {
    const product = await api.product();
    const res = await startUpload(product.id, { contentType: "image/webp", alt: "The tin" });
    expect(res.statusCode).toBe(201);
    const form = res.json();
    expect(form.fields.key).toBe(`incoming/${product.id}/${form.uploadId}`);
    const status = await api.request({ method: "GET", url: `/api/admin/uploads/${form.uploadId}`, headers: admin.headers });
    expect(status.json()).toMatchObject({ status: "pending", contentType: "image/webp", productId: product.id });
  });

  it("refuses an SVG content type with 400 naming the field, an unknown product with 404, a customer with 403", async () => {
    const product = await api.product();
    expect(problemOf(await startUpload(product.id, { contentType: "image/svg+xml", alt: "x" }))).toMatchObject({ status: 400, field: "contentType" });
    expect(problemOf(await startUpload("nope", { contentType: "image/png", alt: "x" }))).toMatchObject({ status: 404, code: "product_not_found" });
    const customer = await api.user();
    expect((await startUpload(product.id, { contentType: "image/png", alt: "x" }, customer.headers)).statusCode).toBe(403);
  });

  it("answers 503 uploads_disabled where no media bucket is configured", async () => {
    const plain = await makeTestApi();
    const who = await plain.user("admin");
    const product = await plain.product();
    const res = await plain.request({ method: "POST", url: `/api/admin/products/${product.id}/images`, headers: who.headers, payload: { contentType: "image/png", alt: "x" } });
    expect(problemOf(res)).toMatchObject({ status: 503, code: "uploads_disabled" });
    await plain.close();
  });
});

describe("product images (storefront, remove, reorder)", () => {
  it("shows attached images with CDN URLs, reorders them, and removes one", async () => {
    const product = await api.product();
    for (const id of ["i1", "i2"]) {
      const intent = { id, productId: product.id, contentType: "image/png", alt: "a", expiresAt: Date.now() + 60_000, status: "pending" } as UploadIntent;
      await api.runtime.runPromise(Effect.flatMap(ProductImageStore, (s) => s.createIntent(intent)));
      await api.runtime.runPromise(attachImage(intent, image(id)));
    }
    const shown = (await api.request({ url: `/api/products/${product.id}` })).json();
    expect(shown.images.map((i: { url: string }) => i.url)).toEqual([`${baseUrl}/images/p/i1-800.webp`, `${baseUrl}/images/p/i2-800.webp`]);
    const reordered = await api.request({ method: "PUT", url: `/api/admin/products/${product.id}/images/order`, headers: admin.headers, payload: { order: ["i2", "i1"] } });
    expect(reordered.json().map((i: { id: string }) => i.id)).toEqual(["i2", "i1"]);
    expect(problemOf(await api.request({ method: "PUT", url: `/api/admin/products/${product.id}/images/order`, headers: admin.headers, payload: { order: ["i2"] } }))).toMatchObject({ status: 422, code: "image_order_invalid" });
    const removed = await api.request({ method: "DELETE", url: `/api/admin/products/${product.id}/images/i2`, headers: admin.headers });
    expect(removed.json().map((i: { id: string }) => i.id)).toEqual(["i1"]);
    expect(problemOf(await api.request({ method: "DELETE", url: `/api/admin/products/${product.id}/images/i2`, headers: admin.headers }))).toMatchObject({ status: 404, code: "image_not_found" });
  });
});
