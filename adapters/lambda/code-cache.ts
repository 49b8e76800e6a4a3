/**
 * A V8 code cache that can only ever fall back safely. V8 checks a cache against its own version, its flags
 * and the source's *length*, not its content, and release builds do not checksum the payload: a cache made for
 * other code of the same length would run that code, a damaged one could crash. So the cache file carries a
 * header naming what it was made for (bundle content, Node build, flags) and its payload's hash; anything
 * else is compiled normally.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { Script } from "node:vm";

const magic = "cartwright-code-cache/1\n";

/** What a cache was made for, each as a hash (readable fields beside them for the logs). */
export interface CacheHeader {
  readonly bundle: string;
  readonly node: string;
  readonly flags: string;
  readonly payload: string;
  readonly nodeVersion: string;
}

/** Why a cold start compiled without its cache; "accepted" when it used it. */
export type CacheStatus = "accepted" | "absent" | "corrupt" | "other-bundle" | "other-node" | "other-flags" | "rejected-by-v8";

// Node's CommonJS wrapper, on a line of its own (compiled with lineOffset -1): stack lines stay the bundle's, for its map.
export const commonJsSource = (code: string): string => `(function (exports, require, module, __filename, __dirname) {\n${code}\n})`;

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

/**
 * The Node build: version and V8 are not enough (builds of one release differ in their configure options,
 * dependencies and binary), and Lambda offers no build id, so everything the process can see cheaply.
 */
export const nodeBuild = (): string =>
  sha256(JSON.stringify([process.versions, process.arch, process.platform, process.config, executableSize()]));

const executableSize = () => {
  try {
    return statSync(process.execPath).size;
  } catch {
    return -1; // unreadable here: the rest still tells builds apart, and V8 checks its own version
  }
};

/** The options the process runs under: Lambda passes memory-derived V8 flags on the command line. */
export const nodeFlags = (): string => sha256(JSON.stringify([process.execArgv, process.env.NODE_OPTIONS ?? ""]));

/** The identity a cache must match besides its bundle. */
export interface RuntimeIdentity {
  readonly node: string;
  readonly flags: string;
}
export const currentRuntime = (): RuntimeIdentity => ({ node: nodeBuild(), flags: nodeFlags() });

export const writeCache = (header: Omit<CacheHeader, "payload">, data: Uint8Array): Buffer =>
  Buffer.concat([Buffer.from(`${magic}${JSON.stringify({ ...header, payload: sha256(data) })}\n`), data]);

export const encodeCache = (source: string, data: Uint8Array, runtime: RuntimeIdentity = currentRuntime()): Buffer =>
  writeCache({ bundle: sha256(source), ...runtime, nodeVersion: process.version }, data);

export const decodeCache = (file: Buffer): { readonly header: CacheHeader; readonly data: Buffer } | undefined => {
  if (file.subarray(0, magic.length).toString() !== magic) return undefined;
  const end = file.indexOf(0x0a, magic.length);
  if (end < 0) return undefined;
  try {
    const header = JSON.parse(file.subarray(magic.length, end).toString()) as CacheHeader;
    const data = file.subarray(end + 1);
    return typeof header.bundle === "string" && header.payload === sha256(data) ? { header, data } : undefined;
  } catch {
    return undefined;
  }
};

/** The cache's payload if it was made for exactly this source, Node build and flags; otherwise why not. */
export const checkCache = (source: string, file: Buffer | undefined, runtime: RuntimeIdentity = currentRuntime()): { readonly data?: Buffer; readonly status: CacheStatus; readonly trainedOn?: string } => {
  if (file === undefined) return { status: "absent" };
  const cache = decodeCache(file);
  if (cache === undefined) return { status: "corrupt" };
  const trainedOn = cache.header.nodeVersion;
  if (cache.header.bundle !== sha256(source)) return { status: "other-bundle", trainedOn };
  if (cache.header.node !== runtime.node) return { status: "other-node", trainedOn };
  if (cache.header.flags !== runtime.flags) return { status: "other-flags", trainedOn };
  return { data: cache.data, status: "accepted", trainedOn };
};

/** Compiles a `commonJsSource` with its cache when the cache passes every check, normally otherwise. */
export const compileWithCache = (source: string, filename: string, file: Buffer | undefined) => {
  const checked = checkCache(source, file);
  const script = new Script(source, { filename, lineOffset: -1, ...(checked.data ? { cachedData: checked.data } : {}) });
  const status: CacheStatus = checked.data && script.cachedDataRejected === true ? "rejected-by-v8" : checked.status;
  return { script, status, trainedOn: checked.trainedOn };
};
