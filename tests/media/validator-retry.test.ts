/** The validator when the store does not answer: it must fail the invocation (S3 retries) and keep the upload. */
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Effect } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { createProduct, PersistenceUnavailable, type ProductId, ProductImageStore, type ProductImageStoreShape, requestImageUpload, uploadStatus } from "../../domain/index.js";
import { makeAppRuntime } from "../../adapters/http/runtime.js";
import { memoryStores } from "../../adapters/memory/layer.js";
import { validateUpload } from "../../adapters/media/validator.js";
import * as files from "./files.js";

const runtime = makeAppRuntime({ stores: memoryStores(), holdTtlMs: 60_000 });
afterAll(() => runtime.dispose());
const product = "tea-hojicha" as ProductId;

/** The bucket as the validator sees it: one upload, and a record of what it wrote and deleted. */
const bucketWith = (upload: Buffer) => {
  const sent: Array<string> = [];
  const s3 = {
    send: async (command: { constructor: { name: string }; input: { Key?: string } }) => {
      sent.push(`${command.constructor.name} ${command.input.Key}`);
      if (command instanceof GetObjectCommand) return { ContentLength: upload.length, Body: { transformToByteArray: async () => new Uint8Array(upload) } };
      return {};
    },
  } as unknown as S3Client;
  return { s3, sent, deleted: () => sent.filter((c) => c.startsWith(DeleteObjectCommand.name)) };
};

/** The app's store, except the named operation, which fails as an unreachable DynamoDB does. */
const storeFailing = (operation: keyof ProductImageStoreShape) =>
  <A, E>(effect: Effect.Effect<A, E, any>) =>
    runtime.runPromise(
      Effect.flatMap(ProductImageStore, (store) =>
        Effect.provideService(effect, ProductImageStore, { ...store, [operation]: () => Effect.fail(new PersistenceUnavailable({ operation, outcome: "unknown" })) }),
      ) as Effect.Effect<A, E, never>,
    );

describe("validateUpload when the store does not answer", () => {
  it.each(["getIntent", "settle"] as const)("fails the invocation and keeps the upload when %s fails (S3 retries the event; the retry attaches it)", async (operation) => {
    await runtime.runPromise(createProduct({ id: product, name: "Hojicha", category: "tea", price: { amount: 800, currency: "EUR" } as never, stock: 1 })).catch(() => undefined);
    const intent = await runtime.runPromise(requestImageUpload(product, { contentType: "image/png", alt: "Roasted leaves" }, 300_000));
    const key = `incoming/${product}/${intent.id}`;
    const bucket = bucketWith(await files.png(320, 240));
    const deps = { s3: bucket.s3, bucket: "media", maxUploadBytes: 1024 * 1024 };
    await expect(validateUpload({ ...deps, run: storeFailing(operation) }, key)).rejects.toMatchObject({ _tag: "PersistenceUnavailable" });
    expect(bucket.deleted()).toEqual([]);
    expect(await runtime.runPromise(uploadStatus(intent.id))).toMatchObject({ status: "pending" });
    // S3's retry, with the store back.
    expect(await validateUpload({ ...deps, run: (e) => runtime.runPromise(e) }, key)).toEqual({ status: "ready", imageId: intent.id });
    expect(bucket.deleted()).toEqual([`DeleteObjectCommand ${key}`]);
  });
});
