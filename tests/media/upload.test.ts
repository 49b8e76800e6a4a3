import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProduct, type ProductId, requestImageUpload, uploadStatus, ProductImageStore } from "../../domain/index.js";
import { makeAppRuntime } from "../../adapters/http/runtime.js";
import { makeMemoryDb, memoryStores } from "../../adapters/memory/layer.js";
import { startLocalMedia, type LocalMedia } from "../../adapters/media/local.js";
import { presignUpload } from "../../adapters/media/presign.js";
import { validateUpload } from "../../adapters/media/validator.js";
import * as files from "./files.js";

const maxUploadBytes = 256 * 1024;
const db = makeMemoryDb();
const runtime = makeAppRuntime({ stores: memoryStores(db), holdTtlMs: 60_000 });
const run = <A, E>(effect: Effect.Effect<A, E, any>) => runtime.runPromise(effect as Effect.Effect<A, E, never>);
const dir = mkdtempSync(join(tmpdir(), "cartwright-media-"));
let media: LocalMedia;

beforeAll(async () => {
  media = await startLocalMedia({ directory: dir, validator: { maxUploadBytes, run } });
  await run(createProduct({ id: "tea-sencha" as ProductId, name: "Sencha", category: "tea", price: { amount: 1250, currency: "EUR" } as never, stock: 5 }));
});
afterAll(async () => {
  await media.stop();
  await runtime.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** What a browser does with the form: every field, then the file, as multipart/form-data. */
const upload = async (bytes: Buffer, contentType: "image/jpeg" | "image/png" | "image/webp") => {
  const intent = await run(requestImageUpload("tea-sencha" as ProductId, { contentType, alt: "A tin of sencha" }, 300_000));
  const form = await presignUpload(media.s3, { bucket: media.bucket, maxUploadBytes, uploadTtlSeconds: 300 }, intent);
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append("file", new Blob([bytes], { type: contentType }));
  const answer = await fetch(form.url, { method: "POST", body });
  expect(answer.status).toBeLessThan(300);
  await media.settled();
  return { intent, status: await run(uploadStatus(intent.id)) };
};

const imagesNow = () => run(Effect.flatMap(ProductImageStore, (s) => s.images("tea-sencha" as ProductId)));
const object = async (key: string) => Buffer.from(await (await media.s3.send(new GetObjectCommand({ Bucket: media.bucket, Key: key }))).Body!.transformToByteArray());

describe("validateUpload (S3 emulator, presigned POST)", () => {
  it.each([
    ["JPEG", files.jpeg, "image/jpeg", [200, 600, 1200, 1600]],
    ["PNG", files.png, "image/png", [200, 600, 640]],
    ["WebP", files.webp, "image/webp", [200, 600, 800]],
  ] as const)("accepts a valid %s and attaches its WebP variants, smallest first, the original size last", async (_, make, type, widths) => {
    const { status } = await upload(await make(), type);
    expect(status.status).toBe("ready");
    const image = (await imagesNow()).images.find((i) => i.id === status.imageId)!;
    expect(image.variants.map((v) => v.width)).toEqual(widths);
    for (const v of image.variants) expect((await sharp(await object(v.key)).metadata()).format).toBe("webp");
  });

  it("strips EXIF (GPS included) and turns the image upright (auto-orient)", async () => {
    const { status } = await upload(await files.jpegWithGps(), "image/jpeg");
    const image = (await imagesNow()).images.find((i) => i.id === status.imageId)!;
    expect([image.width, image.height]).toEqual([200, 300]);
    for (const v of image.variants) {
      const meta = await sharp(await object(v.key)).metadata();
      expect([meta.exif, meta.xmp, meta.iptc, meta.orientation]).toEqual([undefined, undefined, undefined, undefined]);
    }
  });

  it("re-encodes a JPEG/HTML polyglot: no variant carries the script", async () => {
    const { status } = await upload(await files.jpegHtmlPolyglot(), "image/jpeg");
    const image = (await imagesNow()).images.find((i) => i.id === status.imageId)!;
    for (const v of image.variants) expect((await object(v.key)).includes("<script")).toBe(false);
  });

  it.each([
    ["a PNG declared as JPEG", files.png, "image/jpeg", "type_mismatch"],
    ["an SVG with a script, declared as PNG", async () => files.svgScript, "image/png", "unsupported_type"],
    ["a truncated JPEG", files.truncatedJpeg, "image/jpeg", "undecodable"],
    ["a pixel bomb (30000×30000 in 200 bytes)", files.pixelBomb, "image/png", "too_many_pixels"],
    ["a file over the size limit", files.noisyPng, "image/png", "too_large"],
  ] as const)("rejects %s, deletes the file and records why", async (_, make, type, reason) => {
    const before = (await imagesNow()).images.length;
    const { intent, status } = await upload(await make(), type);
    expect(status).toMatchObject({ status: "rejected", reason });
    expect((await imagesNow()).images.length).toBe(before);
    await expect(object(`incoming/${intent.productId}/${intent.id}`)).rejects.toMatchObject({ name: "NoSuchKey" });
    expect(db.outbox.filter((e) => e.type === "ProductImageRejected" && e.uploadId === intent.id)).toHaveLength(1);
  });

  it("attaches once under duplicate and concurrent events for one upload (invariant: one image, one event)", async () => {
    const { intent } = await upload(await files.png(320, 240), "image/png");
    const key = `incoming/${intent.productId}/${intent.id}`;
    const again = await Promise.all([validateUpload({ s3: media.s3, bucket: media.bucket, maxUploadBytes, run }, key), validateUpload({ s3: media.s3, bucket: media.bucket, maxUploadBytes, run }, key)]);
    expect(again.map((o) => o.status)).toEqual(["ignored", "ignored"]);
    expect((await imagesNow()).images.filter((i) => i.id === (intent.id as string))).toHaveLength(1);
    expect(db.outbox.filter((e) => e.type === "ProductImageAdded" && e.uploadId === intent.id)).toHaveLength(1);
  });

  it("never validates its own writes: nothing under images/ is taken for an upload", async () => {
    const outcomes = await media.settled();
    const image = (await imagesNow()).images[0]!;
    expect(await validateUpload({ s3: media.s3, bucket: media.bucket, maxUploadBytes, run }, image.variants[0]!.key)).toMatchObject({ status: "ignored" });
    expect(outcomes.every((o) => o.status !== "ignored")).toBe(true);
  });
});
