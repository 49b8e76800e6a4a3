/**
 * `npm run deploy-policy -- --stack <stack> [--boundary | --trust=OWNER/REPO]`: the IAM policy a deploy role needs for that stack
 * (infra/deploy-policy.ts), derived from the resource types the program creates under Pulumi mocks, as
 * `npm run plan`; with `--boundary`, the permissions boundary every role of the stack carries
 * (infra/boundary.ts), which an administrator creates once as `cartwright-<stack>-boundary`.
 * Put the first on `cartwright-deploy-<stack>` as an inline policy (README.md, Roles): at 6–8 KB it is over a
 * managed policy's 6,144 characters and within a role's 10,240 for inline policies (tested).
 */
import { permissionsBoundaryPolicy } from "../infra/boundary.js";
import { deployRolePolicy, deployRoleTrustPolicy } from "../infra/deploy-policy.js";
import { runStack } from "../infra/mocks/run.js";

const stack = process.argv.find((a) => a.startsWith("--stack="))?.split("=")[1] ?? process.argv[process.argv.indexOf("--stack") + 1];
if (!stack || !["dev", "staging", "prod"].includes(stack)) {
  console.error("usage: npm run deploy-policy -- --stack dev|staging|prod [--boundary]");
  process.exit(2);
}
const run = await runStack(stack);
const identities = run.resources.filter((r) => r.type === "aws:sesv2/emailIdentity:EmailIdentity").map((r) => String(r.inputs.emailIdentity));
const trustFor = process.argv.find((a) => a.startsWith("--trust="))?.split("=")[1];
if (trustFor !== undefined) {
  // --trust=OWNER/REPO: the role's trust policy (the account id is filled in from the credentials' account).
  console.log(JSON.stringify(deployRoleTrustPolicy(stack, trustFor, "<ACCOUNT_ID>"), null, 2));
} else if (process.argv.includes("--boundary")) {
  console.log(JSON.stringify(permissionsBoundaryPolicy(stack, identities), null, 2));
} else {
  const { policy, unknown } = deployRolePolicy(stack, run.resources.map((r) => r.type), identities);
  if (unknown.length > 0) {
    console.error(`no deploy permissions known for: ${unknown.join(", ")} (add them to infra/deploy-permissions.ts)`);
    process.exit(1);
  }
  console.log(JSON.stringify(policy, null, 2));
}
