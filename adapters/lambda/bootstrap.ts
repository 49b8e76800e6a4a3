/**
 * The Lambda entry of a function shipped as one CommonJS bundle (`app.js`) with a V8 code cache (`app.cache`)
 * beside it: compiles the bundle with the cache when it was made for this bundle, Node build and flags
 * (code-cache.ts), normally otherwise, and says which once per cold start (a log line that is also an EMF
 * metric). The event `{ "trainCodeCache": true }` (only a direct invoke can send it) runs the bundle's
 * training events, then returns a new cache for this runtime, gzipped and base64-encoded.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { type CacheStatus, commonJsSource, compileWithCache, encodeCache } from "./code-cache.js";

interface AppModule {
  readonly handler: (event: unknown, context: unknown) => Promise<unknown>;
  /** Events served before a cache is made, so the code they run is compiled into it. */
  readonly trainingEvents?: ReadonlyArray<unknown>;
}

export interface TrainingResult {
  readonly codeCache: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly loadedWith: CacheStatus;
  readonly nodeVersion: string;
}

const file = join(__dirname, "app.js");
const source = commonJsSource(readFileSync(file, "utf8"));
const cacheFile = (() => {
  try {
    return readFileSync(join(__dirname, "app.cache"));
  } catch {
    return undefined;
  }
})();

const { script, status, trainedOn } = compileWithCache(source, file, cacheFile);
const app = { exports: {} as AppModule };
(script.runInThisContext() as (...args: unknown[]) => void)(app.exports, createRequire(file), app, file, __dirname);

/** One line per cold start, always written (it is the metric): the share of cold starts without the cache alarms. */
const report = () => {
  const namespace = process.env.METRICS_NAMESPACE;
  const rejected = status === "accepted" ? 0 : 1;
  const metric =
    namespace === undefined
      ? {}
      : {
          _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [["FunctionName"]], Metrics: [{ Name: "ColdStarts", Unit: "Count" }, { Name: "CodeCacheRejected", Unit: "Count" }] }] },
          FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? "local",
          ColdStarts: 1,
          CodeCacheRejected: rejected,
        };
  const line = { level: rejected ? "warn" : "info", time: Date.now(), msg: rejected ? "code cache not used: compiled normally" : "code cache accepted", codeCache: status, trainedOn, nodeVersion: process.version, ...metric };
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
report();

const train = async (context: unknown): Promise<TrainingResult> => {
  for (const event of app.exports.trainingEvents ?? []) await app.exports.handler(event, context);
  const cache = encodeCache(source, script.createCachedData());
  const gzipped = gzipSync(cache);
  return { codeCache: gzipped.toString("base64"), bytes: cache.length, gzipBytes: gzipped.length, loadedWith: status, nodeVersion: process.version };
};

export const handler = (event: unknown, context: unknown): Promise<unknown> =>
  (event as { trainCodeCache?: unknown } | null)?.trainCodeCache === true ? train(context) : app.exports.handler(event, context);
