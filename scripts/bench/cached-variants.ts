/**
 * The API twice for the bench: as shipped after training (its code cache beside it, trained here by a training
 * invocation on this Node with the bench's environment) and as it cold-starts with no cache, in a copy of the
 * same directory. The same bytes load either way; only `app.cache` differs.
 */
import { cp, rm, stat } from "node:fs/promises";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { BundleReport } from "../build.js";
import { trainLocally } from "../code-cache.js";
import type { ColdSample } from "./measure.js";

export const cachedVariants = async (api: BundleReport, env: NodeJS.ProcessEnv) => {
  const bare = `${api.dir}-no-cache`;
  await rm(bare, { recursive: true, force: true });
  await cp(api.dir, bare, { recursive: true });
  const trained = await trainLocally(api.dir, env);
  const cacheBytes = (await stat(join(api.dir, "app.cache"))).size;
  return {
    cacheBytes,
    trainedOn: trained.nodeVersion,
    withCache: { ...api, name: "api" },
    withoutCache: { ...api, dir: bare, file: join(bare, "index.cjs"), files: api.files.map((f) => f.replace(api.dir, bare)) },
  };
};

const child = join(import.meta.dirname, "cold-child.mjs");

/** One cold start, from a file rather than `node -e` (whose code would be in the execArgv the cache is tied to). */
export const coldStartFromFile = async (bundle: string, event: object, env: NodeJS.ProcessEnv): Promise<ColdSample> => {
  const { stderr } = await promisify(execFile)(process.execPath, [child, bundle, JSON.stringify(event)], { env, maxBuffer: 16 * 1024 * 1024 });
  const line = stderr.split("\n").find((l) => l.includes('"firstInvoke"'));
  if (!line) throw new Error(`no timings from ${bundle}:\n${stderr}`);
  const sample = JSON.parse(line) as ColdSample & { status: number };
  if (sample.status !== 200) throw new Error(`${bundle} answered ${sample.status} on its first invoke`);
  return sample;
};

/** What Lambda stores for a function: its directory zipped (maps and assets included). */
export const zipBytes = async (dir: string): Promise<number> => {
  const zip = join(dir, "..", `${dir.split("/").pop()}.zip`);
  await rm(zip, { force: true });
  await promisify(execFile)("zip", ["-qr9", zip, "."], { cwd: dir });
  const { size } = await stat(zip);
  await rm(zip, { force: true });
  return size;
};
