/** The built image functions (dist/lambda/media, dist/lambda/media-sweeper) on the S3 emulator and DynamoDB Local. */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import S3rver from "@20minutes/s3rver";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { Effect, Layer, ManagedRuntime } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProduct, type ProductId, ProductImageStore, removeImage, requestImageUpload, uploadStatus } from "../../domain/index.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeS3 } from "../../adapters/media/s3.js";
import { RandomIds, SystemClock } from "../../adapters/system.js";
import { buildLambdas, type BundleReport } from "../../scripts/build.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";
import * as images from "../media/files.js";

type Handler = (event: unknown) => Promise<unknown>;
const bucket = "cartwright-test-media";
let outDir: string;
let s3Dir: string;
let server: S3rver;
let table: FreshTable;
let bundles: Record<string, BundleReport>;
let shop: ManagedRuntime.ManagedRuntime<any, never>;
let s3: ReturnType<typeof makeS3>;

beforeAll(async () => {
  await mkdir(join(import.meta.dirname, "../../dist"), { recursive: true });
  // Inside the repo: the bundles resolve sharp and @aws-sdk/* from node_modules, as on Lambda from beside them and the runtime.
  outDir = await mkdtemp(join(import.meta.dirname, "../../dist/.test-cartwright-media-"));
  s3Dir = await mkdtemp(join(tmpdir(), "cartwright-media-lambda-"));
  // A bare emulator: no validator on its events, the built function is the one invoked.
  server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: s3Dir, configureBuckets: [{ name: bucket }] });
  const [{ port }, reports, fresh] = await Promise.all([server.run(), buildLambdas({ outDir, only: ["media", "media-sweeper"] }), freshTable()]);
  bundles = Object.fromEntries(reports.map((r) => [r.name, r]));
  table = fresh;
  const endpoint = `http://127.0.0.1:${port}`;
  s3 = makeS3(endpoint);
  shop = ManagedRuntime.make(Layer.mergeAll(dynamoStores({ client: table.client, tableName: table.tableName }), RandomIds, SystemClock));
  await shop.runPromise(createProduct({ id: "tea-bancha" as ProductId, name: "Bancha", category: "tea", price: { amount: 900, currency: "EUR" } as never, stock: 2 }));
  Object.assign(process.env, {
    CARTWRIGHT_STORE: "dynamodb",
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    MEDIA_BUCKET: bucket,
    S3_ENDPOINT: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
  });
});
afterAll(async () => {
  s3.destroy();
  server.httpServer?.closeAllConnections();
  await server.close();
  await shop.dispose();
  await deleteTable(table);
  await rm(outDir, { recursive: true, force: true });
  await rm(s3Dir, { recursive: true, force: true });
});

const exists = (key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );
const importsOf = (bundle: BundleReport) => Object.values(bundle.metafile.outputs).flatMap((o) => o.imports);

describe("the media bundles (npm run build)", () => {
  it("leaves sharp out of the validator, pinned in a package.json beside it for the linux-arm64 install, and out of the sweep entirely", async () => {
    expect(importsOf(bundles.media!)).toContainEqual(expect.objectContaining({ path: "sharp", external: true }));
    const { dependencies } = JSON.parse(await readFile(join(import.meta.dirname, "../../package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(JSON.parse(await readFile(join(bundles.media!.dir, "package.json"), "utf8"))).toEqual({ private: true, type: "module", dependencies: { sharp: dependencies.sharp } });
    expect(importsOf(bundles["media-sweeper"]!).filter((i) => i.path.includes("sharp"))).toEqual([]);
    expect(Object.keys(bundles["media-sweeper"]!.metafile.inputs).filter((path) => /sharp|file-type/.test(path))).toEqual([]);
  });

  it("validates an upload from its S3 event, then the sweep deletes its files once the image is removed", async () => {
    const product = "tea-bancha" as ProductId;
    const intent = await shop.runPromise(requestImageUpload(product, { contentType: "image/jpeg", alt: "Bancha leaves" }, 300_000));
    const key = `incoming/${product}/${intent.id}`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await images.jpegWithGps(), ContentType: "image/jpeg" }));
    const validator = (await import(pathToFileURL(bundles.media!.file).href)) as { handler: Handler };
    await validator.handler({ Records: [{ eventName: "ObjectCreated:Post", s3: { object: { key } } }] });
    expect(await shop.runPromise(uploadStatus(intent.id))).toMatchObject({ status: "ready", imageId: intent.id });
    const [image] = (await shop.runPromise(Effect.flatMap(ProductImageStore, (s) => s.images(product)))).images;
    for (const v of image!.variants) expect(await exists(v.key)).toBe(true);
    expect(await exists(key)).toBe(false);

    await shop.runPromise(removeImage(product, image!.id));
    const sweeper = (await import(pathToFileURL(bundles["media-sweeper"]!.file).href)) as { handler: Handler };
    expect(await sweeper.handler({ "detail-type": "Scheduled Event" })).toMatchObject({ deleted: 1, files: image!.variants.length, failed: 0 });
    for (const v of image!.variants) expect(await exists(v.key)).toBe(false);
    expect(await sweeper.handler({})).toMatchObject({ expired: 0, archived: 0, deleted: 0 });
  });
});
