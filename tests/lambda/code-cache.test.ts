/**
 * The bootstrap (adapters/lambda/bootstrap.ts) with a two-line function, in fresh processes: every cache not made
 * for this bundle, Node build and flags, or damaged, is set aside and the function still answers as itself.
 * The API bundle's own training and cold start are in api.test.ts.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commonJsSource, decodeCache, writeCache } from "../../adapters/lambda/code-cache.js";
import { buildBootstrap } from "../../scripts/build-cached.js";
import { trainLocally } from "../../scripts/code-cache.js";

let root: string;
const child = join(import.meta.dirname, "../../scripts/bench/cold-child.mjs");
// Two bundles of the same length: V8 alone would take one's cache for the other.
const app = (name: "A" | "B") => `exports.handler = async () => ({ statusCode: 200, body: "served by ${name}" });\nexports.trainingEvents = [{}];\n`;
const env = { PATH: process.env.PATH, METRICS_NAMESPACE: "Cartwright/test", AWS_LAMBDA_FUNCTION_NAME: "fn" };

const fn = async (name: string, bundle: "A" | "B" = "A") => {
  const dir = join(root, name);
  await cp(join(root, "bootstrap"), dir, { recursive: true });
  await writeFile(join(dir, "app.js"), app(bundle));
  return dir;
};

/** A cold start and one invoke in a fresh process: what it answered and the bootstrap's line. */
const coldStart = async (dir: string, options: { nodeOptions?: string } = {}) => {
  const { stdout } = await promisify(execFile)(process.execPath, [child, join(dir, "index.cjs"), "{}", join(dir, "answer.json")], {
    env: { ...env, ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}) },
  });
  const lines = stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { body: (JSON.parse(await readFile(join(dir, "answer.json"), "utf8")) as { body: string }).body, lines };
};
// Compiles a source with a payload as V8 alone would check it, and runs it.
const unchecked = `const vm = require("node:vm"), fs = require("node:fs");
const script = new vm.Script(fs.readFileSync(process.argv[2], "utf8"), { lineOffset: -1, cachedData: fs.readFileSync(process.argv[3]) });
const m = { exports: {} };
script.runInThisContext()(m.exports, require, m, "", "");
m.exports.handler().then((r) => console.log(JSON.stringify({ rejected: script.cachedDataRejected, body: r.body })));`;
const cacheOf = async (dir: string) => decodeCache(await readFile(join(dir, "app.cache")))!;

beforeAll(async () => {
  await mkdir(join(import.meta.dirname, "../../dist"), { recursive: true });
  root = await mkdtemp(join(import.meta.dirname, "../../dist/.test-code-cache-"));
  await buildBootstrap(join(root, "bootstrap"));
  const [a, b, flags] = await Promise.all([fn("trained-a"), fn("trained-b", "B"), fn("trained-flags")]);
  await Promise.all([trainLocally(a, env), trainLocally(b, env), trainLocally(flags, { ...env, NODE_OPTIONS: "--max-semi-space-size=4" })]);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("bootstrap.coldStart", () => {
  it("compiles with the cache trained for its bundle, Node build and flags, and logs it once as a metric of 0 rejections", async () => {
    const { body, lines } = await coldStart(join(root, "trained-a"));
    expect(body).toBe("served by A");
    expect(lines).toEqual([expect.objectContaining({ codeCache: "accepted", ColdStarts: 1, CodeCacheRejected: 0, FunctionName: "fn" })]);
    expect(lines[0]!._aws).toMatchObject({ CloudWatchMetrics: [{ Namespace: "Cartwright/test", Dimensions: [["FunctionName"]] }] });
  });

  it("sets aside a cache trained for another bundle of the same length, which V8 alone would accept and run", async () => {
    const dir = await fn("other-bundle");
    await cp(join(root, "trained-b", "app.cache"), join(dir, "app.cache"));
    const { body, lines } = await coldStart(dir);
    expect([body, lines[0]?.codeCache, lines[0]?.CodeCacheRejected]).toEqual(["served by A", "other-bundle", 1]);
    // What the bundle check prevents: V8 checks the source's length only, and runs B's code for A's source.
    await writeFile(join(dir, "source-a.js"), commonJsSource(app("A")));
    await writeFile(join(dir, "payload-b"), (await cacheOf(join(root, "trained-b"))).data);
    await writeFile(join(dir, "unchecked.cjs"), unchecked);
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, "unchecked.cjs"), join(dir, "source-a.js"), join(dir, "payload-b")], { env });
    expect(JSON.parse(stdout)).toEqual({ rejected: false, body: "served by B" });
  });

  it("sets aside a cache trained on another Node build", async () => {
    const dir = await fn("other-node");
    const { header, data } = await cacheOf(join(root, "trained-a"));
    await writeFile(join(dir, "app.cache"), writeCache({ ...header, node: "another build of the same version" }, data));
    const { body, lines } = await coldStart(dir);
    expect([body, lines[0]?.codeCache, lines[0]?.CodeCacheRejected]).toEqual(["served by A", "other-node", 1]);
  });

  it("sets aside a cache trained under other flags, and one whose header claims ours but V8 finds made under other flags", async () => {
    const other = await fn("other-flags");
    await cp(join(root, "trained-flags", "app.cache"), join(other, "app.cache"));
    const forged = await fn("forged-flags");
    const ours = await cacheOf(join(root, "trained-a"));
    const theirs = await cacheOf(join(root, "trained-flags"));
    await writeFile(join(forged, "app.cache"), writeCache({ ...theirs.header, flags: ours.header.flags }, theirs.data));
    const [a, b] = await Promise.all([coldStart(other), coldStart(forged)]);
    expect([a.body, a.lines[0]?.codeCache]).toEqual(["served by A", "other-flags"]);
    expect([b.body, b.lines[0]?.codeCache, b.lines[0]?.CodeCacheRejected]).toEqual(["served by A", "rejected-by-v8", 1]);
  });

  it("sets aside a damaged cache (a payload byte changed, a cut file, another file) and one that is absent", async () => {
    const trained = await readFile(join(root, "trained-a", "app.cache"));
    const flipped = Buffer.from(trained);
    flipped[flipped.length - 100] = flipped[flipped.length - 100]! ^ 0xff;
    const damaged = { flipped, cut: trained.subarray(0, trained.length - 10), other: Buffer.from("not a cache\n{}\n") };
    const dirs = await Promise.all(Object.entries(damaged).map(async ([name, bytes]) => {
      const dir = await fn(`damaged-${name}`);
      await writeFile(join(dir, "app.cache"), bytes);
      return dir;
    }));
    const runs = await Promise.all([...dirs, await fn("absent")].map((dir) => coldStart(dir)));
    expect(runs.map((r) => [r.body, r.lines[0]?.codeCache])).toEqual([
      ["served by A", "corrupt"],
      ["served by A", "corrupt"],
      ["served by A", "corrupt"],
      ["served by A", "absent"],
    ]);
  });
});
