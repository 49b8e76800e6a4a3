import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { mockJwtSecret, runStack } from "../../infra/mocks/run.js";
import { estimateCost } from "../../infra/plan/cost.js";
import { planPath, planStacks } from "../../infra/plan/files.js";
import { renderPlan } from "../../infra/plan/render.js";
import { rateExpression } from "../../infra/sweeper.js";

const budgets: Record<string, number> = { dev: 15, staging: 50, prod: 150 };

// One program run per stack serves every test below (each run costs 2–5 s); "identically twice" runs it again.
const runs = new Map<string, ReturnType<typeof runStack>>();
const stackRun = (stack: string) => {
  const run = runs.get(stack) ?? runStack(stack);
  runs.set(stack, run);
  return run;
};

describe("Plans.render", () => {
  it.each(planStacks)("matches the committed stacks/plans/%s.md (run `npm run plan` when this fails)", async (stack) => {
    const committed = await readFile(new URL(`../../${planPath(stack)}`, import.meta.url), "utf8").catch(() => "(missing)");
    const fresh = renderPlan(await stackRun(stack));
    expect(fresh, `stacks/plans/${stack}.md is stale: run \`npm run plan\` and commit the result`).toBe(committed);
  });

  it.each(planStacks)("renders the %s plan identically twice and without the JWT secret", async (stack) => {
    const first = renderPlan(await stackRun(stack));
    expect(renderPlan(await runStack(stack))).toBe(first);
    expect(first).not.toContain(mockJwtSecret);
    // The key is only in its SSM parameter, shown masked; the function's environment names the parameter.
    expect(first).toContain(`name: /cartwright/${stack}/jwt-signing-keys\ntype: SecureString\nvalue: "[secret]"`);
    expect(first).not.toContain("JWT_SECRET:");
  });
});

describe("Plans.estimateCost", () => {
  it.each(planStacks)("keeps the %s stack's idle cost under its budget (invariant: an idle stack never alerts)", async (stack) => {
    const cost = estimateCost((await stackRun(stack)).resources);
    expect(cost.idleTotal).toBeGreaterThan(0);
    expect(cost.idleTotal).toBeLessThan(budgets[stack]!);
  });

  it("charges the dev sandbox nothing for capacity while idle (on-demand table): its one idle charge is its secrets key ($1/month)", async () => {
    const cost = estimateCost((await stackRun("dev")).resources);
    expect(cost.idle.filter((line) => line.item.startsWith("DynamoDB"))).toEqual([]);
    expect(cost.idle.filter((line) => line.item.startsWith("KMS")).map((line) => line.usd)).toEqual([1]);
    expect(cost.idleTotal).toBeLessThan(1.1);
  });

  it("prices provisioned capacity on the table and every index", async () => {
    const cost = estimateCost((await stackRun("prod")).resources);
    const dynamo = cost.idle.find((line) => line.item.startsWith("DynamoDB"));
    // 10 RCU and 10 WCU (autoscaling's floor) on the table and each of its indexes.
    const units = 10 * (1 + (await import("../../adapters/dynamodb/table.js")).tableDefinition.globalSecondaryIndexes.length);
    expect(dynamo?.usd).toBeCloseTo(units * (0.00013 + 0.00065) * 730, 6);
  });
});

describe("Sweeper.rateExpression", () => {
  it("uses EventBridge's singular unit for one minute and plural otherwise", () => {
    expect([1, 5, 15].map(rateExpression)).toEqual(["rate(1 minute)", "rate(5 minutes)", "rate(15 minutes)"]);
  });
});
