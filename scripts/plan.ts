/**
 * `npm run plan`: renders stacks/plans/<stack>.md for every stack under Pulumi
 * mocks (deterministic, no AWS calls), with an idle monthly cost estimate.
 * `--stack <stack>` renders one; `--out <dir>` writes there instead of stacks/plans (the smoke test does).
 */
import { writeFile } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { planPath, planStacks } from "../infra/plan/files.js";
import { parseCli, runMain, usageError } from "./cli.js";

const usage = `npm run plan -- [--stack ${planStacks.join("|")}] [--out DIR]`;
const { values } = parseCli(usage, { options: { stack: { type: "string" }, out: { type: "string" } } });
if (values.stack !== undefined && !planStacks.includes(values.stack as never)) usageError(usage, `unknown stack "${values.stack}"`);
const root = join(import.meta.dirname, "..");

await runMain(async () => {
  // Loaded after the arguments are checked: Pulumi takes seconds to load, a usage error should not.
  const [{ renderPlan }, { runStack }] = await Promise.all([import("../infra/plan/render.js"), import("../infra/mocks/run.js")]);
  for (const stack of values.stack === undefined ? planStacks : [values.stack as (typeof planStacks)[number]]) {
    const run = await runStack(stack);
    const path = values.out === undefined ? join(root, planPath(stack)) : join(values.out, basename(planPath(stack)));
    await writeFile(path, renderPlan(run));
    console.log(`wrote ${relative(process.cwd(), path)} (${run.resources.length} resources)`);
  }
});
