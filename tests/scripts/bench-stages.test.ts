import { describe, expect, it } from "vitest";
import { stageOf } from "../../scripts/bench/stages.js";

// Frames from the sampled one outwards, as the profile maps them (bundle frames through the source map).
const frame = (file: string, name = "") => ({ file, name });
const effect = (module: string) => frame(`../../node_modules/effect/src/${module}.ts`);

describe("stageOf", () => {
  it("gives a library's own work to its stage, whoever called it (the SDK under the store adapter is the SDK)", () => {
    const frames = [frame("node_modules/@smithy/core/dist-cjs/index.js"), frame("../../adapters/dynamodb/client.ts"), frame("../../adapters/http/route.ts")];
    expect(stageOf(frames)).toBe("store call: AWS SDK (marshalling, middleware, HTTP)");
  });

  it("gives a runtime's frames to the innermost of our files that called them (Schema under decode.ts is decoding)", () => {
    expect(stageOf([effect("ParseResult"), effect("Schema"), frame("../../adapters/http/decode.ts"), frame("../../adapters/http/route.ts")])).toBe(
      "decoding (request schemas)",
    );
    expect(stageOf([effect("ParseResult"), frame("../../adapters/http/route.ts")])).toBe("encoding (response schema)");
    expect(stageOf([effect("internal/fiberRuntime"), frame("../../adapters/http/route.ts")])).toBe("route wrapper");
  });

  it("leaves frames no file of ours or stage library called to their runtime (a resumed fiber is the Effect runtime)", () => {
    expect(stageOf([frame("", "runMicrotasks"), effect("internal/fiberRuntime"), frame("node:internal/process/task_queues")])).toBe("Effect runtime (fibers)");
    expect(stageOf([frame("node_modules/fastify/lib/reply.js"), frame("node_modules/fastify/lib/hooks.js")])).toBe("Fastify core (hooks, request, reply)");
    expect(stageOf([frame("", "(garbage collector)")])).toBe("GC");
  });

  it("sets the profiler's own work apart, and names socket syscalls as network I/O", () => {
    expect(stageOf([frame("", "dispatch"), frame("node:inspector", "post"), frame("../../scripts/bench/stage-child.mjs")])).toBe("(profiler)");
    expect(stageOf([frame("", "writev"), frame("node:internal/stream_base_commons", "writevGeneric"), frame("node:net")])).toBe("network I/O (socket syscalls)");
  });
});
