/**
 * `npm run plan`: renders stacks/plans/<stack>.md for every stack under Pulumi
 * mocks (deterministic, no AWS calls), with an idle monthly cost estimate.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { planPath, planStacks } from "../infra/plan/files.js";
import { renderPlan } from "../infra/plan/render.js";
import { runStack } from "../infra/mocks/run.js";

for (const stack of planStacks) {
  const run = await runStack(stack);
  const path = planPath(stack);
  await writeFile(join(import.meta.dirname, "..", path), renderPlan(run));
  console.log(`wrote ${path} (${run.resources.length} resources)`);
}
