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
  readonly needs?: string | string[];
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

  it.each(files)("%s asks for an OIDC token only in the job that assumes an AWS role, and that job installs nothing (invariant: dependency code never sees the token)", async (file) => {
    const w = await workflow(file);
    expect(w.permissions?.["id-token"]).toBeUndefined();
    for (const [name, job] of Object.entries(w.jobs)) {
      const assumes = job.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect({ job: name, idToken: job.permissions?.["id-token"] }).toEqual({ job: name, idToken: assumes.length > 0 ? "write" : undefined });
      for (const step of assumes) expect(step.with?.["role-to-assume"]).toMatch(/^\$\{\{ vars\.[A-Z_]+ \}\}$/);
      if (assumes.length === 0) continue;
      const before = job.steps.slice(0, job.steps.indexOf(assumes[0]!));
      expect(before.flatMap((s) => s.run ?? []).filter((r) => /\bnpm (ci|install|i|test|run)\b|\bnpx\b/.test(r)), name).toEqual([]);
      expect(job.steps.flatMap((s) => s.run ?? []).filter((r) => /\bnpm (ci|install|i)\b/.test(r)), name).toEqual([]);
    }
  });

  it.each(files)("%s pins every action to a full commit SHA (a moved tag cannot change what runs)", async (file) => {
    const uses = steps(await workflow(file)).flatMap((s) => s.uses ?? []);
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
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
    expect(w.jobs.preview?.permissions).toMatchObject({ "id-token": "write", "pull-requests": "write" });
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

  it.each(["deploy.yml", "preview.yml"])("%s installs sharp for Lambda's linux-arm64 beside the validator's bundle right after building it (without it the validator fails at its first cold start)", async (file) => {
    const build = (await workflow(file)).jobs.build!.steps.flatMap((s) => s.run ?? []);
    const sharp = build.findIndex((run) => run.startsWith("npm install --prefix dist/lambda/media --os=linux --cpu=arm64 --libc=glibc"));
    expect(sharp).toBe(build.indexOf("npm run build") + 1);
    expect(build[sharp]).toContain("--omit=dev");
  });

  it("deploys staging from main and prod from v* tags on main, each in its environment, after a build that tested the same commit", async () => {
    const w = await workflow("deploy.yml");
    expect(w.on).toEqual({ push: { branches: ["main"], tags: ["v*"] } });
    expect([w.jobs.staging?.if, w.jobs.prod?.if]).toEqual(["github.ref == 'refs/heads/main'", "startsWith(github.ref, 'refs/tags/v')"]);
    const build = w.jobs.build!.steps.flatMap((s) => s.run ?? []);
    expect(build.indexOf("npm test")).toBeGreaterThan(build.indexOf("npm ci"));
    expect(build.indexOf("npm run build")).toBeGreaterThan(build.indexOf("npm test"));
    // A tag pushed on a commit that is not on main deploys nothing.
    expect(w.jobs.build!.steps.find((s) => s.run?.includes("merge-base --is-ancestor"))).toMatchObject({ if: "startsWith(github.ref, 'refs/tags/v')", run: 'git merge-base --is-ancestor "$GITHUB_SHA" origin/main' });
    expect(w.jobs.build!.steps[0]?.with).toMatchObject({ "fetch-depth": 0 });
    for (const stack of ["staging", "prod"]) {
      const job = w.jobs[stack]!;
      expect([job.needs, job.environment]).toEqual(["build", stack]);
      expect(job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with).toMatchObject({ command: "up", "stack-name": stack });
    }
  });

  it("ships the API's code cache in a second update, trained by the deployed function on its runtime, with no dependency code between", async () => {
    const w = await workflow("deploy.yml");
    for (const stack of ["staging", "prod"]) {
      const job = w.jobs[stack]!;
      const ups = job.steps.flatMap((s, i) => (s.uses?.startsWith("pulumi/actions@") ? [i] : []));
      expect(ups.map((i) => job.steps[i]!.with)).toEqual([expect.objectContaining({ command: "up", "stack-name": stack }), expect.objectContaining({ command: "up", "stack-name": stack })]);
      const between = job.steps.slice(ups[0]! + 1, ups[1]).flatMap((s) => s.run?.trim().split("\n") ?? []);
      expect(between).toEqual([
        expect.stringMatching(/^aws lambda invoke --function-name "\$\{\{ steps\.up\.outputs\.functionName \}\}" .*'\{"trainCodeCache":true\}' training\.json$/),
        "node scripts/unpack-code-cache.mjs training.json dist/lambda/api",
      ]);
    }
  });

  it("destroys only the dev stack, by hand, then checks for orphans", async () => {
    const w = await workflow("sandbox-destroy.yml");
    expect(Object.keys(w.on)).toEqual(["workflow_dispatch"]);
    expect(pulumiSteps(w).map((s) => s.with)).toEqual([expect.objectContaining({ command: "destroy", "stack-name": "dev" })]);
    expect(steps(w).at(-1)?.run).toMatch(/^npm run sandbox:orphans -- --stack dev/);
  });
});
