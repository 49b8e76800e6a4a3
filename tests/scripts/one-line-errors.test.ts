import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./npm.js";

const run = (fixture: string) =>
  promisify(execFile)(join(repoRoot, "node_modules/.bin/tsx"), [join(import.meta.dirname, "fixtures", fixture)], { cwd: repoRoot }).then(
    () => ({ code: 0, stderr: "" }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );

describe("runMain", () => {
  it("prints a stack's config error (a Pulumi RunError, as npm run plan meets it) as its one line and exits 1", async () => {
    const ran = await run("config-error.ts");
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe('Invalid config for stack "dev": cartwright:api.memoryMb: Expected number, actual "lots" (see Pulumi.dev.yaml)\n');
  });
});
