import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { productItem } from "../../adapters/dynamodb/items.js";
import type { Timestamp } from "../../domain/index.js";
import { deleteTable, type FreshTable, freshTable } from "../support/dynamo.js";
import { product } from "../support/fixtures.js";
import { npmRun, repoRoot, scriptRun } from "./npm.js";

/** Every `npm run X` the README advertises, and how this directory keeps it working. */
const coverage = {
  demo: "runs",
  pay: "runs (start-and-pay.test.ts, against a server on a non-default PORT)",
  load: "runs 2 s",
  audit: "runs against a fresh table, and with --repair-counters against products written without counters",
  plan: "runs for one stack into a temporary directory",
  build: "runs for one Lambda into a temporary directory",
  "code-cache": "usage only (tests/lambda/api.test.ts trains the API's cache through the same function)",
  "events:doc": "runs into a temporary file",
  "deploy-policy": "runs",
  admin: "runs --dry-run (a real run needs a user pool: tests/identity drives the same calls against Cognito Local)",
  client: "runs into a temporary file (tests/client drives the committed one)",
  "bench:events": "runs with 2 orders",
  "bench:lambda": "usage only (a quick run still builds and cold-starts every peer: ~40 s)",
  "bench:dynamo": "usage only (fixed work, ~15 s)",
  "bench:keys": "usage only (builds the API bundle)",
  "profile:cold": "usage only (builds and profiles)",
  "sandbox:orphans": "usage only (needs AWS credentials)",
  "sandbox:up": "not run: Pulumi against AWS",
  "sandbox:down": "not run: Pulumi against AWS",
  typecheck: "not run: tsc --noEmit over the whole tree takes ~23 s of CPU, too much of npm test's budget",
} as const;

describe("README.md's commands", () => {
  it("are exactly the npm scripts this smoke test covers (a newly advertised command needs a test)", async () => {
    const readme = await readFile(join(repoRoot, "README.md"), "utf8");
    const advertised = new Set([...readme.matchAll(/npm run ([a-z][a-z:-]*)/g)].map((m) => m[1]!));
    expect([...advertised].sort()).toEqual(Object.keys(coverage).sort());
  });

  it("are all scripts of package.json", async () => {
    const { scripts } = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(Object.keys(coverage).filter((name) => !(name in scripts))).toEqual([]);
  });
});

describe.concurrent("every advertised script's arguments", () => {
  const parsed = Object.keys(coverage).filter((name) => !coverage[name as keyof typeof coverage].startsWith("not run"));
  it.each(parsed)("%s refuses an unknown flag with its usage and exit code 2", async (script) => {
    const ran = await scriptRun(script, ["--no-such-flag"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("Unknown option '--no-such-flag'");
    expect(ran.stderr).toContain(`usage: npm run ${script}`);
  });
});

// Generous per-test limits: these share two cores with the rest of npm test.
describe("the quick runs", { timeout: 60_000 }, () => {
  let dir: string;
  let table: FreshTable;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cartwright-smoke-"));
    table = await freshTable();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await deleteTable(table);
  });

  it("demo walks through to the cancelled order without a failure", async () => {
    const ran = await npmRun("demo");
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("Order is cancelled; stock returned once.");
  });

  it("load honours --seconds given as a separate argument, and its audit is clean", async () => {
    const ran = await npmRun("load", ["--seconds", "2", "--customers", "3", "--think-ms", "50"]);
    expect(ran.code).toBe(0);
    const elapsed = Number(/requests in ([\d.]+) s/.exec(ran.stdout)?.[1]);
    expect(elapsed).toBeGreaterThan(1.5);
    expect(elapsed).toBeLessThan(15); // the default is 30 s; in-flight requests finish after the 2 s on a loaded machine
    expect(ran.stdout).toMatch(/3 customers/);
    expect(ran.stderr).not.toContain("NodeVersionSupportWarning");
  });

  it("admin names the two Cognito calls it would make for the given pool and address", async () => {
    const ran = await npmRun("admin", ["--stack", "dev", "--email", "boss@example.com", "--pool-id", "eu-west-1_abc123", "--dry-run"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("AdminCreateUser(eu-west-1_abc123, boss@example.com) then AdminAddUserToGroup(eu-west-1_abc123, boss@example.com, admin) in eu-west-1");
  });

  it("audit reads the table given as --endpoint URL --table NAME", async () => {
    const ran = await npmRun("audit", ["--endpoint", table.endpoint, "--table", table.tableName]);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(table.tableName);
  });

  it("audit reports category counters missing from data written before them, and --repair-counters recounts them", async () => {
    const legacy = await freshTable();
    try {
      const doc = DynamoDBDocumentClient.from(legacy.client);
      for (const p of [product("tea-a", { category: "tea" }), product("tea-b", { category: "tea" }), product("tea-c", { category: "tea", archivedAt: 1 as Timestamp })])
        await doc.send(new PutCommand({ TableName: legacy.tableName, Item: productItem(p) }));
      const at = ["--endpoint", legacy.endpoint, "--table", legacy.tableName];
      const found = await npmRun("audit", at);
      expect(found.code).toBe(1);
      expect(found.stdout).toContain("category-count-exact: category tea: count absent, listed products 2");
      const repaired = await npmRun("audit", [...at, "--repair-counters"]);
      expect(repaired.stderr).toBe("");
      expect(repaired.code).toBe(0);
      expect(repaired.stdout).toContain("category tea: absent → 2");
      expect(repaired.stdout).toContain("audit: clean");
    } finally {
      await deleteTable(legacy);
    }
  });

  it("plan renders the stack it is given where it is told, the same as the committed plan", async () => {
    const ran = await npmRun("plan", ["--stack", "dev", "--out", dir]);
    expect(ran.code).toBe(0);
    expect(await readFile(join(dir, "dev.md"), "utf8")).toBe(await readFile(join(repoRoot, "stacks/plans/dev.md"), "utf8"));
  });

  it("build bundles the Lambda it is given into the directory it is told", async () => {
    const ran = await npmRun("build", ["--only", "sweeper", "--out", dir]);
    expect(ran.code).toBe(0);
    expect((await stat(join(dir, "sweeper", "index.mjs"))).size).toBeGreaterThan(0);
  });

  it("events:doc writes the committed events reference where it is told", async () => {
    const ran = await npmRun("events:doc", ["--out", join(dir, "events.md")]);
    expect(ran.code).toBe(0);
    expect(await readFile(join(dir, "events.md"), "utf8")).toBe(await readFile(join(repoRoot, "docs/events.md"), "utf8"));
  });

  it("client generates the committed client types where it is told", async () => {
    const ran = await npmRun("client", ["--out", join(dir, "schema.d.ts")]);
    expect(ran.code).toBe(0);
    expect(await readFile(join(dir, "schema.d.ts"), "utf8")).toBe(await readFile(join(repoRoot, "client/schema.d.ts"), "utf8"));
  });

  it("deploy-policy prints the policy of the stack given as --stack NAME", async () => {
    const ran = await npmRun("deploy-policy", ["--stack", "staging"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("role/cartwright-staging-*");
  });

  it("bench:events measures the number of orders it is given", async () => {
    const ran = await npmRun("bench:events", ["--orders", "2", "--concurrency", "1"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("emails written   2 of 2");
  });
});
