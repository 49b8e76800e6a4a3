import { readFile, readdir } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly if?: string;
  readonly environment?: string;
  readonly permissions?: Record<string, string>;
  readonly strategy?: { matrix?: { stack?: string[]; node?: number[] } };
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const dir = new URL("../../.github/workflows/", import.meta.url);
const text = (file: string) => readFile(new URL(file, dir), "utf8");
const workflow = async (file: string) => parse(await text(file)) as Workflow;
const files = (await readdir(dir)).filter((f) => f.endsWith(".yml")).sort();
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((job) => job.steps);
const pulumiSteps = (w: Workflow) => steps(w).filter((s) => s.uses?.startsWith("pulumi/actions@"));
const stackFiles = (await readdir(new URL("../../", import.meta.url))).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []).sort();

describe("Workflows", () => {
  it("has the CI, preview, deploy and sandbox-destroy workflows", () => {
    expect(files).toEqual(["ci.yml", "deploy.yml", "preview-prod.yml", "preview.yml", "sandbox-destroy.yml"]);
  });

  it.each(files)("%s parses with `on`, `jobs` and steps in every job", async (file) => {
    const w = await workflow(file);
    expect(Object.keys(w.on).length).toBeGreaterThan(0);
    expect(Object.keys(w.jobs).length).toBeGreaterThan(0);
    for (const job of Object.values(w.jobs)) expect(job.steps.length).toBeGreaterThan(0);
  });

  it.each(files)("%s references no long-lived AWS keys (invariant: AWS access only through OIDC)", async (file) => {
    expect(await text(file)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws-access-key-id|aws-secret-access-key/i);
  });

  it.each(files)("%s asks for an OIDC token wherever it assumes an AWS role", async (file) => {
    const w = await workflow(file);
    for (const step of steps(w).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))) {
      expect(w.permissions?.["id-token"]).toBe("write");
      expect(step.with?.["role-to-assume"]).toMatch(/^\$\{\{ vars\.[A-Z_]+ \}\}$/);
    }
  });

  it.each(files)("%s runs on arm64 with Node 22 like the Lambda functions", async (file) => {
    const w = await workflow(file);
    for (const [name, job] of Object.entries(w.jobs)) {
      expect((job as Job & { "runs-on": string })["runs-on"], name).toBe("ubuntu-24.04-arm");
      for (const step of steps({ ...w, jobs: { [name]: job } }).filter((s) => s.uses?.startsWith("actions/setup-node@"))) {
        const version = String(step.with?.["node-version"]);
        if (version.includes("matrix.node")) expect(job.strategy?.matrix).toMatchObject({ node: expect.arrayContaining([22]) });
        else expect(version).toBe("22");
      }
    }
  });

  it("CI installs cleanly and runs the tests", async () => {
    expect(steps(await workflow("ci.yml")).flatMap((s) => s.run ?? [])).toEqual(["npm ci", "npm test"]);
  });

  it("previews every stack but prod on pull requests, with a diff commented on the PR (a PR's code never gets prod's secrets)", async () => {
    const w = await workflow("preview.yml");
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
    expect(w.jobs.preview?.strategy?.matrix?.stack?.slice().sort()).toEqual(stackFiles.filter((s) => s !== "prod"));
    expect(pulumiSteps(w).map((s) => s.with)).toEqual([
      expect.objectContaining({ command: "preview", "stack-name": "${{ matrix.stack }}", diff: true, "comment-on-pr": true }),
    ]);
    expect(w.permissions).toMatchObject({ "id-token": "write", "pull-requests": "write" });
  });

  it("previews prod only from main, in an environment (reviewers, main-only) whose role alone may decrypt prod's secrets", async () => {
    const w = await workflow("preview-prod.yml");
    expect(w.on).toEqual({ push: { branches: ["main"] } });
    const job = w.jobs["preview-prod"]!;
    expect([job.if, job.environment]).toEqual(["github.ref == 'refs/heads/main'", "prod-preview"]);
    expect(pulumiSteps(w).map((s) => s.with)).toEqual([expect.objectContaining({ command: "preview", "stack-name": "prod" })]);
  });

  it("encrypts each stack's secrets with its own KMS key, so a role can be given some stacks' secrets and not others", async () => {
    for (const stack of stackFiles) {
      const file = parse(await readFile(new URL(`../../Pulumi.${stack}.yaml`, import.meta.url), "utf8")) as { secretsprovider?: string };
      expect(file.secretsprovider).toBe(`awskms://alias/cartwright-${stack}-secrets?region=us-east-1`);
    }
  });

  it("deploys staging from main and prod from v* tags, building and testing before `pulumi up`", async () => {
    const w = await workflow("deploy.yml");
    expect(w.on).toEqual({ push: { branches: ["main"], tags: ["v*"] } });
    expect([w.jobs.staging?.if, w.jobs.prod?.if]).toEqual(["github.ref == 'refs/heads/main'", "startsWith(github.ref, 'refs/tags/v')"]);
    for (const [stack, job] of Object.entries(w.jobs)) {
      const order = job.steps.map((s) => s.run ?? s.uses?.split("@")[0]);
      expect(order.indexOf("npm run build")).toBeGreaterThan(order.indexOf("npm ci"));
      expect(order.indexOf("pulumi/actions")).toBeGreaterThan(order.indexOf("npm run build"));
      expect(job.environment).toBe(stack);
      expect(job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with).toMatchObject({ command: "up", "stack-name": stack });
    }
  });

  it("destroys only the dev stack, by hand, then checks for orphans", async () => {
    const w = await workflow("sandbox-destroy.yml");
    expect(Object.keys(w.on)).toEqual(["workflow_dispatch"]);
    expect(pulumiSteps(w).map((s) => s.with)).toEqual([expect.objectContaining({ command: "destroy", "stack-name": "dev" })]);
    expect(steps(w).at(-1)?.run).toMatch(/^npm run sandbox:orphans -- --stack dev/);
  });
});
