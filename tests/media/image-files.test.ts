import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { Effect, Either, Layer } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProduct,
  type ImageId,
  MediaFiles,
  type MediaFilesShape,
  type ProductId,
  ProductImageStore,
  removeImage,
  requestImageUpload,
  sweepImages,
} from "../../domain/index.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeAppRuntime } from "../../adapters/http/runtime.js";
import { memoryMediaFiles, s3MediaFiles } from "../../adapters/media/image-files.js";
import { type LocalMedia, startLocalMedia } from "../../adapters/media/local.js";
import { presignUpload } from "../../adapters/media/presign.js";
import { makeS3 } from "../../adapters/media/s3.js";
import { deleteTable, type FreshTable, freshTable } from "../support/dynamo.js";
import * as images from "./files.js";

const maxUploadBytes = 256 * 1024;
const dir = mkdtempSync(join(tmpdir(), "cartwright-media-files-"));
let media: LocalMedia;
let table: FreshTable;
let runtime: ReturnType<typeof makeAppRuntime>;
const run = <A, E>(effect: Effect.Effect<A, E, any>) => runtime.runPromise(effect as Effect.Effect<A, E, never>);

beforeAll(async () => {
  table = await freshTable();
  runtime = makeAppRuntime({ stores: dynamoStores({ client: table.client, tableName: table.tableName }), holdTtlMs: 60_000 });
  media = await startLocalMedia({ directory: dir, validator: { maxUploadBytes, run } });
});
afterAll(async () => {
  await media.stop();
  await runtime.dispose();
  await deleteTable(table);
  rmSync(dir, { recursive: true, force: true });
});

const exists = (key: string) =>
  media.s3.send(new HeadObjectCommand({ Bucket: media.bucket, Key: key })).then(
    () => true,
    () => false,
  );

const memoryKeys = new Set<string>();
const adapters: Record<string, { files: () => MediaFilesShape; put: (key: string) => Promise<unknown>; exists: (key: string) => Promise<boolean> }> = {
  memory: { files: () => memoryMediaFiles(memoryKeys), put: async (key) => memoryKeys.add(key), exists: async (key) => memoryKeys.has(key) },
  "S3 (s3rver)": {
    files: () => s3MediaFiles(media.s3, media.bucket),
    put: (key) => media.s3.send(new PutObjectCommand({ Bucket: media.bucket, Key: key, Body: "x" })),
    exists,
  },
};

describe.each(Object.entries(adapters))("MediaFiles.deleteImageFiles (%s)", (_, adapter) => {
  it("deletes every file of the image's folder and none of another image's, even one whose id it prefixes", async () => {
    const keys = ["images/p1/u-1/a-200.webp", "images/p1/u-1/a-800.webp", "images/p1/u-10/b-200.webp", "images/p2/u-1/c-200.webp", "elsewhere/p1/u-1/a"];
    for (const key of keys) await adapter.put(key);
    const deleted = await Effect.runPromise(adapter.files().deleteImageFiles("p1" as ProductId, "u-1" as ImageId));
    expect(deleted).toBe(2);
    expect(await Promise.all(keys.map(adapter.exists))).toEqual([false, false, true, true, true]);
    expect(await Effect.runPromise(adapter.files().deleteImageFiles("p1" as ProductId, "u-1" as ImageId))).toBe(0);
  });
});

describe("MediaFiles on S3", () => {
  it("answers a bucket it cannot reach with ProductImageStorageUnavailable, not a defect", async () => {
    const down = s3MediaFiles(makeS3("http://127.0.0.1:9"), "nowhere");
    const result = await Effect.runPromise(Effect.either(down.deleteImageFiles("p" as ProductId, "u" as ImageId)));
    expect(Either.isLeft(result) && result.left._tag).toBe("ProductImageStorageUnavailable");
  });
});

describe("the image sweep against the S3 emulator and DynamoDB Local", () => {
  it("deletes a removed image's uploaded variants from the bucket and leaves the product's other image whole", async () => {
    const product = "tea-gyokuro" as ProductId;
    await run(createProduct({ id: product, name: "Gyokuro", category: "tea", price: { amount: 2400, currency: "EUR" } as never, stock: 3 }));
    const upload = async (bytes: Buffer) => {
      const intent = await run(requestImageUpload(product, { contentType: "image/png", alt: "A tin" }, 300_000));
      const form = await presignUpload(media.s3, { bucket: media.bucket, maxUploadBytes, uploadTtlSeconds: 300 }, intent);
      const body = new FormData();
      for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
      body.append("file", new Blob([bytes], { type: "image/png" }));
      expect((await fetch(form.url, { method: "POST", body })).status).toBeLessThan(300);
      await media.settled();
      return intent.id;
    };
    // The same pixels twice: each image still has its own files, so removing one cannot break the other.
    const bytes = await images.png(320, 240);
    const [removed, kept] = [await upload(bytes), await upload(bytes)];
    const attached = (await run(Effect.flatMap(ProductImageStore, (s) => s.images(product)))).images;
    expect(attached.map((i) => i.id)).toEqual([removed, kept]);
    await run(removeImage(product, removed));
    const sweep = sweepImages(10, { archivedRetentionMs: 30 * 24 * 3600_000 }).pipe(Effect.provide(Layer.succeed(MediaFiles, s3MediaFiles(media.s3, media.bucket))));
    expect(await run(sweep)).toMatchObject({ deleted: 1, files: attached[0]!.variants.length, failed: 0 });
    for (const v of attached[0]!.variants) expect(await exists(v.key)).toBe(false);
    for (const v of attached[1]!.variants) expect(await exists(v.key)).toBe(true);
    expect((await run(Effect.flatMap(ProductImageStore, (s) => s.images(product)))).filesDue).toEqual([]);
  });
});
