/**
 * `npm run code-cache -- --train <dir>`: puts a V8 code cache beside a built function (`<dir>/app.cache`, read
 * by adapters/lambda/bootstrap.ts), from a training invocation of it in a fresh process of this Node, with this
 * environment (local runs, the bench, the tests). A cache serves only the Node build and flags that made it: the
 * deployed functions' come from a training invocation on Lambda (scripts/unpack-code-cache.mjs, the deploy workflow).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { decodeCache } from "../adapters/lambda/code-cache.js";
import type { TrainingResult } from "../adapters/lambda/bootstrap.js";
import { parseCli, runMain, usageError } from "./cli.js";

class RunError extends Error {
  override name = "RunError";
}

/** Writes the cache of a training answer into the function's directory, once it decodes. */
const unpackTraining = async (answer: TrainingResult, dir: string): Promise<TrainingResult> => {
  if (typeof answer?.codeCache !== "string") throw new RunError(`not a training answer: ${JSON.stringify(answer).slice(0, 200)}`);
  const cache = gunzipSync(Buffer.from(answer.codeCache, "base64"));
  if (decodeCache(cache) === undefined) throw new RunError("the training answer holds no readable cache");
  await writeFile(join(dir, "app.cache"), cache);
  return answer;
};

const child = join(import.meta.dirname, "bench", "cold-child.mjs");

/** A training invocation of the built function in a fresh process (these Node options, this environment). */
export const trainLocally = async (dir: string, env: NodeJS.ProcessEnv = process.env, execArgv: ReadonlyArray<string> = []): Promise<TrainingResult> => {
  const tmp = await mkdtemp(join(tmpdir(), "cartwright-train-"));
  try {
    const out = join(tmp, "answer.json");
    await promisify(execFile)(process.execPath, [...execArgv, child, join(dir, "index.cjs"), JSON.stringify({ trainCodeCache: true }), out], { env, maxBuffer: 16 * 1024 * 1024 });
    return await unpackTraining(JSON.parse(await readFile(out, "utf8")) as TrainingResult, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const usage = "npm run code-cache -- --train <dir (dist/lambda/api)>";
  const { values } = parseCli(usage, { options: { train: { type: "string" } } });
  await runMain(async () => {
    const answer = await trainLocally(resolve(values.train ?? usageError(usage, "give --train <dir>")));
    console.log(`code cache: ${answer.bytes} bytes (gzip ${answer.gzipBytes}) for Node ${answer.nodeVersion}; the trained instance had loaded with: ${answer.loadedWith}`);
  });
}
