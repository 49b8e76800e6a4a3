import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processWide } from "./support/process-wide.js";

const root = join(import.meta.dirname, "..");
// What changes a process for every file after it in the same worker.
const processWideChange =
  /Object\.assign\(process\.env|process\.env(\.[A-Za-z_]+|\[[^\]]+\])\s*=[^=]|delete process\.env|vi\.(stubEnv|stubGlobal|useFakeTimers|mock)\(|oneRequestAtATime\(|adapters\/lambda\/api\.js|process\.chdir\(/;
const matches = (file: string, pattern: string) => new RegExp(`^${pattern.replace(/\./g, "\\.").replace(/\*/g, "[^/]*")}$`).test(file);

describe("the test suite's shared workers", () => {
  it("run no file that changes process-wide state: each such file is listed to run in a fresh worker", async () => {
    const changing: Array<string> = [];
    for (const path of await readdir(join(root, "tests"), { recursive: true })) {
      const file = `tests/${path}`;
      if (!file.endsWith(".test.ts") || file === "tests/isolation.test.ts") continue;
      if (processWideChange.test(await readFile(join(root, file), "utf8"))) changing.push(file);
    }
    expect(changing.length).toBeGreaterThan(0);
    expect(changing.filter((file) => !processWide.some((pattern) => matches(file, pattern))).sort()).toEqual([]);
  });
});
