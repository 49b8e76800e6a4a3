import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Effect, Layer, ManagedRuntime, Option } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addToCart, createProduct, ProductStore, type Currency, type Money, type ProductId, type UserId } from "../../domain/index.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeManualClock, SequentialIds } from "../../adapters/memory/layer.js";
import { holdPolicy } from "../../adapters/system.js";
import { buildLambdas, type BundleReport } from "../../scripts/build.js";
import { deleteTable, freshTable, type FreshTable } from "../support/dynamo.js";

let outDir: string;
let bundle: BundleReport;
let table: FreshTable;
const product = "swept" as ProductId;
const clock = makeManualClock(Date.now() - 60 * 60_000);

const shop = () =>
  ManagedRuntime.make(Layer.mergeAll(dynamoStores({ client: table.client, tableName: table.tableName }), clock.layer, SequentialIds("s"), holdPolicy(60_000)));

beforeAll(async () => {
  await mkdir(join(import.meta.dirname, "../../dist"), { recursive: true });
  outDir = await mkdtemp(join(import.meta.dirname, "../../dist/.test-cartwright-sweeper-"));  // inside the repo: the bundle resolves @aws-sdk/* from node_modules, as Lambda does from its runtime
  const [reports, fresh] = await Promise.all([buildLambdas({ outDir, only: ["sweeper"] }), freshTable()]);
  [bundle, table] = [reports[0] as BundleReport, fresh];
  const runtime = shop();
  const price = { amount: 500, currency: "EUR" as Currency } as Money;
  await runtime.runPromise(createProduct({ id: product, name: "Swept", category: "tea", price, stock: 5 }));
  await runtime.runPromise(addToCart("early" as UserId, product, 2)); // held an hour ago for a minute: expired
  clock.set(Date.now());
  await runtime.runPromise(addToCart("late" as UserId, product, 1)); // held just now: live
  await runtime.dispose();
});
afterAll(async () => {
  await deleteTable(table);
  await rm(outDir, { recursive: true, force: true });
});

describe("the built sweeper handler (dist/lambda/sweeper/index.mjs)", () => {
  it("releases expired holds only, reports what it did (and the unpaid orders it cancelled, the refunds it made), and frees their units", async () => {
    Object.assign(process.env, { CARTWRIGHT_STORE: "dynamodb", TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, AWS_REGION: "eu-west-1" });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" });
    const { handler } = (await import(pathToFileURL(bundle.file).href)) as { handler: (event: unknown) => Promise<unknown> };
    const scheduled = { version: "0", "detail-type": "Scheduled Event", source: "aws.events", detail: {} };
    expect(await handler(scheduled)).toEqual({ released: 1, skipped: 0, unpaid: { expired: 0, skipped: 0, failed: 0 }, refunds: { settled: 0, failed: 0, overdue: 0, failures: [] } });
    const runtime = shop();
    const after = await runtime.runPromise(Effect.flatMap(ProductStore, (s) => s.get(product)));
    await runtime.dispose();
    expect(Option.getOrThrow(after)).toMatchObject({ stock: 5, reserved: 1 });
    expect(await handler(scheduled)).toEqual({ released: 0, skipped: 0, unpaid: { expired: 0, skipped: 0, failed: 0 }, refunds: { settled: 0, failed: 0, overdue: 0, failures: [] } });
  });
});
