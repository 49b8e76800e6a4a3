/**
 * `npm run deploy-policy -- --stack <stack> [--boundary | --trust=OWNER/REPO]`: the IAM policy a deploy role needs for that stack
 * (infra/deploy-policy.ts), derived from the resource types the program creates under Pulumi mocks, as
 * `npm run plan`; with `--boundary`, the permissions boundary every role of the stack carries
 * (infra/boundary.ts), which an administrator creates once as `cartwright-<stack>-boundary`.
 * The first is printed as managed policies, `{ "cartwright-deploy-<stack>-1": {…}, … }`, each within a managed policy's
 * 6,144 characters (tested): together they are over the 10,240 a role's inline policies may hold. An administrator
 * creates each and attaches it to `cartwright-deploy-<stack>` (README.md, Roles).
 */
import { parseCli, runMain, usageError, fail } from "./cli.js";

const usage = "npm run deploy-policy -- --stack dev|staging|prod [--boundary | --trust OWNER/REPO]";
const { values } = parseCli(usage, { options: { stack: { type: "string" }, boundary: { type: "boolean" }, trust: { type: "string" } } });
const stack = values.stack ?? usageError(usage, "--stack is required");
if (!["dev", "staging", "prod"].includes(stack)) usageError(usage, `unknown stack "${stack}"`);
if (values.boundary && values.trust !== undefined) usageError(usage, "--boundary and --trust are alternatives");
await runMain(async () => {
  // Loaded after the arguments are checked: Pulumi takes seconds to load, a usage error should not.
  const [{ permissionsBoundaryPolicy }, { deployPolicyParts, deployRolePolicy, deployRoleTrustPolicy }, { runStack }] = await Promise.all([
    import("../infra/boundary.js"),
    import("../infra/deploy-policy.js"),
    import("../infra/mocks/run.js"),
  ]);
  const run = await runStack(stack);
  const identities = run.resources.filter((r) => r.type === "aws:sesv2/emailIdentity:EmailIdentity").map((r) => String(r.inputs.emailIdentity));
  if (values.trust !== undefined) {
    // --trust OWNER/REPO: the role's trust policy (the account id is filled in from the credentials' account).
    console.log(JSON.stringify(deployRoleTrustPolicy(stack, values.trust, "<ACCOUNT_ID>"), null, 2));
  } else if (values.boundary) {
    console.log(JSON.stringify(permissionsBoundaryPolicy(stack, identities), null, 2));
  } else {
    const { policy, unknown } = deployRolePolicy(stack, run.resources.map((r) => r.type), identities);
    if (unknown.length > 0) fail(`no deploy permissions known for: ${unknown.join(", ")} (add them to infra/deploy-permissions.ts)`);
    console.log(JSON.stringify(deployPolicyParts(stack, policy.Statement), null, 2));
  }
});
