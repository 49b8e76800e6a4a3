import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { mapStack } from "../../adapters/http/mapped-stacks.js";

const dir = await mkdtemp(join(tmpdir(), "cartwright-stacks-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("mapStack", () => {
  it("maps the frames of a minified bundle to the source lines, reading the map only when asked, and leaves other frames alone", async () => {
    const source = join(dir, "checkout-step.ts");
    await writeFile(source, ["export const fail = (why: string): never => {", "  // line 2", "  throw new Error(`defect: ${why}`);", "};", ""].join("\n"));
    await build({ entryPoints: [source], outfile: join(dir, "out", "index.mjs"), bundle: true, format: "esm", platform: "node", minify: true, sourcemap: "linked", sourcesContent: false });
    // A plain Node process, as on Lambda now: no --enable-source-maps (the test runner's own process maps stacks).
    const script = `const { fail } = await import(${JSON.stringify(pathToFileURL(join(dir, "out", "index.mjs")).href)}); try { fail("no stock"); } catch (e) { process.stdout.write(e.stack); }`;
    const stack = execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { PATH: process.env.PATH } }).toString();

    expect(stack).toMatch(/index\.mjs:1:\d+/);
    const mapped = mapStack(stack);
    expect(mapped).toMatch(/checkout-step\.ts:3:\d+/);
    expect(mapped).not.toMatch(/index\.mjs/);
    expect(mapStack("at x (node:internal/process/task_queues:95:5)")).toBe("at x (node:internal/process/task_queues:95:5)");
  });
});
