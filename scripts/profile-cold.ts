/**
 * `npm run profile:cold [-- <bundle>] [--runs N]`: where a cold start's time goes. Builds the API bundle (unless
 * given one), seeds one product in DynamoDB Local and runs 5 fresh processes under `node --cpu-prof`,
 * each importing the bundle and serving GET /api/products/:id once. Prints init and first-invoke times,
 * then self time per package or source file (mapped through the bundle's source maps), averaged.
 * Figures under the profiler are inflated; compare shares, and use `npm run bench:lambda` for times.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { Currency, Money } from "../domain/index.js";
import type { BundleReport } from "./build.js";
import { numberFlag, parseCli, runMain, usageError } from "./cli.js";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly url: string; readonly functionName: string; readonly lineNumber: number; readonly columnNumber: number };
}
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>;
  readonly samples: ReadonlyArray<number>;
  readonly timeDeltas: ReadonlyArray<number>;
}

const usage = "npm run profile:cold -- [<bundle.mjs>] [--runs N (5)]";
const { values, positionals } = parseCli(usage, { options: { runs: { type: "string" } }, allowPositionals: true });
if (positionals.length > 1) usageError(usage, "at most one bundle");
const runs = numberFlag(usage, "runs", values.runs, 5);

// Flags first: a bad flag or --help answers before the heavy imports load.
const { Layer, ManagedRuntime } = await import("effect");
const { createTable } = await import("../adapters/dynamodb/create-table.js");
const { dynamoStores } = await import("../adapters/dynamodb/layer.js");
const { makeLocalClient, startDynamoLocal } = await import("../adapters/dynamodb/local.js");
const { RandomIds } = await import("../adapters/system.js");
const { createProduct } = await import("../domain/index.js");
const { httpApiEvent } = await import("../tests/lambda/events.js");
const { buildLambdas } = await import("./build.js");

const packageOf = (path: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(path);
  if (!m) return path.replace(/^(\.\.\/)+/, "");
  return m[1] === "effect" ? `effect${(m[2] ?? "").replace(/^\/(src|dist\/esm)/, "")}` : m[1]!;
};

const main = async () => {
  const given = positionals[0];
  const bundle = given ?? ((await buildLambdas({ externalSdk: true, only: ["api"] })) as [BundleReport])[0].file;
  const local = await startDynamoLocal();
  const client = makeLocalClient(local.endpoint);
  const dir = await mkdtemp(join(tmpdir(), "cartwright-prof-"));
  try {
    await createTable(client, "profile");
    const runtime = ManagedRuntime.make(Layer.merge(dynamoStores({ client, tableName: "profile" }), RandomIds));
    const product = await runtime.runPromise(createProduct({ name: "Tea", category: "tea", price: { amount: 1, currency: "EUR" as Currency } as Money, stock: 10 }));
    await runtime.dispose();
    const event = httpApiEvent("GET", `/api/products/${product.id}`);
    const env = { PATH: process.env.PATH, CARTWRIGHT_STORE: "dynamodb", TABLE_NAME: "profile", JWT_SECRET: "profile-secret-profile-secret-profile", CORS_ORIGINS: "https://shop.example", HOLD_TTL_SECONDS: "900", DYNAMODB_ENDPOINT: local.endpoint, AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" };
    const probe = `const t0 = performance.now(); const { handler } = await import(${JSON.stringify(bundle)}); const t1 = performance.now();
const r = await handler(${JSON.stringify(event)}, { functionName: "p", awsRequestId: "p", getRemainingTimeInMillis: () => 10000 });
process.stderr.write(JSON.stringify({ init: t1 - t0, first: performance.now() - t1, status: r.statusCode }) + "\\n"); process.exit(0);`;
    for (let i = 0; i < runs; i++) {
      const { stderr } = await promisify(execFile)(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100", "--input-type=module", "-e", probe], { env });
      const t = JSON.parse(stderr.trim().split("\n").pop()!) as { init: number; first: number; status: number };
      console.log(`run ${i + 1}: init ${t.init.toFixed(0)} ms, first invoke ${t.first.toFixed(0)} ms (status ${t.status})`);
    }
    const maps = new Map<string, SourceMap | undefined>();
    const mapOf = async (url: string) => {
      if (!maps.has(url)) maps.set(url, await readFile(`${fileURLToPath(url)}.map`, "utf8").then((t) => new SourceMap(JSON.parse(t)), () => undefined));
      return maps.get(url);
    };
    const total = new Map<string, number>();
    for (const file of await readdir(dir)) {
      const profile = JSON.parse(await readFile(join(dir, file), "utf8")) as Profile;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      for (const [i, id] of profile.samples.entries()) {
        const frame = byId.get(id)!.callFrame;
        let key = frame.url ? packageOf(frame.url) : `(${frame.functionName || "program"})`;
        if (frame.url.startsWith("node:")) key = "(node internals: module loading, compiling)";
        // The code-cached bundle is compiled by vm.Script, its frames named by path rather than file URL.
        else if ((frame.url.startsWith("file:") || frame.url.startsWith("/")) && !frame.url.includes("node_modules")) {
          const map = await mapOf(frame.url.startsWith("/") ? pathToFileURL(frame.url).href : frame.url);
          const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
          key = entry?.originalSource ? packageOf(entry.originalSource) : "(bundle, unmapped: top level)";
        }
        total.set(key, (total.get(key) ?? 0) + profile.timeDeltas[i]! / 1000 / runs);
      }
    }
    console.log("\nself time per run, by package or source file (under the profiler):");
    for (const [key, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${key}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    client.destroy();
    await local.stop();
  }
};

await runMain(main);
