/**
 * A warm invoke's CPU time split by stage, from a CPU profile of many invokes: each sample goes to the
 * innermost frame on its stack that names a stage (a library doing its own work, or one of our files),
 * else to the runtime it was in (Fastify, Effect, Node). Frames in a bundle are mapped through its source map.
 */
import { readFile } from "node:fs/promises";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

export interface CallFrame {
  readonly url: string;
  readonly functionName: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: CallFrame; readonly children?: ReadonlyArray<number> }>;
  readonly samples: ReadonlyArray<number>;
  readonly timeDeltas: ReadonlyArray<number>;
}

// Libraries whose own work is a stage, whoever called them.
const libraries: ReadonlyArray<readonly [RegExp, string]> = [
  [/node_modules\/(pino|sonic-boom|fast-redact|pino-std-serializers|quick-format-unescaped|fast-safe-stringify)\//, "logging (pino)"],
  [/node_modules\/(@aws-sdk|@smithy|@aws-crypto|fast-xml-parser|bowser)\//, "store call: AWS SDK (marshalling, middleware, HTTP)"],
  [/node_modules\/(@fastify\/aws-lambda|light-my-request)\//, "event conversion (@fastify/aws-lambda, light-my-request)"],
  [/node_modules\/find-my-way\//, "routing (find-my-way)"],
  [/node_modules\/@fastify\/cors\//, "CORS"],
  [/node_modules\/jose\//, "auth (jose)"],
];

// Our files: the stage they are.
const ours: ReadonlyArray<readonly [RegExp, string]> = [
  [/adapters\/lambda\/api\.ts$/, "Lambda entry (gateway request id, deadline)"],
  [/adapters\/deadline\.ts$/, "request deadline (AsyncLocalStorage)"],
  [/adapters\/http\/security-headers\.ts$/, "security headers"],
  [/adapters\/http\/request-log\.ts$/, "logging (pino)"],
  [/adapters\/http\/app\.ts$/, "request id, content type (app.ts)"],
  [/adapters\/http\/decode\.ts$/, "decoding (request schemas)"],
  [/adapters\/http\/route\.ts$/, "route wrapper"],
  [/adapters\/http\/views\.ts$/, "encoding (views)"],
  [/adapters\/http\/runtime\.ts$/, "Effect runtime call"],
  [/adapters\/http\/auth\//, "auth (guard, tokens)"],
  [/adapters\/http\/routes\//, "route handlers"],
  [/adapters\/http\/(error-handler|problems|errors)\.ts$/, "errors"],
  [/adapters\/dynamodb\/items\.ts$/, "store: item decoding (Schema)"],
  [/adapters\/dynamodb\//, "store adapter (Effect wrapper, retry, conditions)"],
  [/domain\//, "use case (domain)"],
  [/adapters\//, "other adapters"],
];

const schemaFile = /node_modules\/effect\/.*\/(Schema|ParseResult|SchemaAST|Arbitrary|JSONSchema)\.(js|ts)$/;

/** The frame's own stage when it names one; undefined for runtimes and native frames (the caller decides). */
const ownStage = (file: string): string | undefined =>
  (libraries.find(([re]) => re.test(file)) ?? ours.find(([re]) => re.test(file)))?.[1];

const runtimeStage = (file: string, name: string): string => {
  if (name === "(garbage collector)") return "GC";
  if (name === "(program)" || file === "") return "V8 / native (program)";
  if (/node_modules\/(fastify|avvio|fast-querystring|fast-content-type-parse|@fastify\/[^/]+)\//.test(file)) return "Fastify core (hooks, request, reply)";
  if (/node_modules\/effect\//.test(file)) return schemaFile.test(file) ? "Schema (unattributed)" : "Effect runtime (fibers)";
  if (/^node:/.test(file)) return "Node internals (async hooks, timers, streams)";
  return "other";
};

/** `frames` from the sampled (innermost) frame outwards, each as its source file and function name. */
export const stageOf = (frames: ReadonlyArray<{ readonly file: string; readonly name: string }>): string => {
  // The profiler's own stop, and the socket syscalls every handler makes alike.
  if (frames.some((f) => f.file === "node:inspector")) return "(profiler)";
  if (frames[0]?.file === "" && frames.some((f) => f.file === "node:internal/stream_base_commons")) return "network I/O (socket syscalls)";
  for (const [i, frame] of frames.entries()) {
    const stage = ownStage(frame.file);
    if (stage === undefined) continue;
    // The response is encoded by route.ts through Schema: encoding, not the wrapper's own time.
    if (stage === "route wrapper" && frames.slice(0, i).some((f) => schemaFile.test(f.file))) return "encoding (response schema)";
    return stage;
  }
  const innermost = frames.find((f) => f.file !== "") ?? frames[0];
  return innermost === undefined ? "other" : runtimeStage(innermost.file, innermost.name);
};

const sourceMaps = new Map<string, Promise<SourceMap | undefined>>();
const mapOf = (url: string) => {
  if (!sourceMaps.has(url))
    sourceMaps.set(url, readFile(`${fileURLToPath(url)}.map`, "utf8").then((t) => new SourceMap(JSON.parse(t)), () => undefined));
  return sourceMaps.get(url)!;
};

const sourceOf = async (frame: CallFrame): Promise<string> => {
  if (!frame.url.startsWith("file:") || frame.url.includes("/node_modules/")) return frame.url;
  const entry = (await mapOf(frame.url))?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
  return entry?.originalSource ?? frame.url;
};

// Several stages at once: names separated by "|".
const detailOf = process.env.BENCH_STAGE_DETAIL?.split("|");
/** Time by sampled function inside the stages BENCH_STAGE_DETAIL names, summed over every profile split. */
export const detail = new Map<string, number>();

/** CPU µs per stage, summed over the profile; idle time (waiting for the store) under "(idle)". */
export const splitProfile = async (profile: CpuProfile, subject = ""): Promise<Map<string, number>> => {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const files = new Map(await Promise.all(profile.nodes.map(async (n) => [n.id, await sourceOf(n.callFrame)] as const)));
  const stageById = new Map<number, string>();
  const stageFor = (id: number): string => {
    const known = stageById.get(id);
    if (known !== undefined) return known;
    const name = byId.get(id)!.callFrame.functionName;
    const frames: Array<{ file: string; name: string }> = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push({ file: files.get(at)!, name: byId.get(at)!.callFrame.functionName });
    const stage = name === "(idle)" ? "(idle)" : stageOf(frames);
    stageById.set(id, stage);
    return stage;
  };
  const total = new Map<string, number>();
  for (const [i, id] of profile.samples.entries()) {
    const stage = stageFor(id);
    total.set(stage, (total.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0));
    // BENCH_STAGE_DETAIL=<part of a stage's name>: that stage's time by sampled function, to see inside it.
    if (detailOf?.some((part) => stage.includes(part))) {
      const where = (at: number) => `${files.get(at)!.replace(/^.*node_modules\//, "")} ${byId.get(at)!.callFrame.functionName}`;
      let caller = parent.get(id);
      while (caller !== undefined && files.get(caller) === "") caller = parent.get(caller);
      const key = `${subject}: ${stage} ▸ ${where(id)} ◂ ${caller === undefined ? "" : where(caller)}`;
      detail.set(key, (detail.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  }
  return total;
};
