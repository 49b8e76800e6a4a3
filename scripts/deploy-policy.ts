/**
 * `npm run deploy-policy -- --stack <stack>`: the IAM policy a deploy role needs for that stack, derived from
 * the resource types the program creates (under Pulumi mocks, as `npm run plan`), plus the state bucket and
 * the stack's own secrets key. Attach it to `cartwright-deploy-<stack>` (README.md, GitHub OIDC).
 */
import { fail, parseCli, runMain, usageError } from "./cli.js";

const usage = "npm run deploy-policy -- --stack dev|staging|prod";
const { values } = parseCli(usage, { options: { stack: { type: "string" } } });
const stack = values.stack ?? usageError(usage, "--stack is required");
if (!["dev", "staging", "prod"].includes(stack)) usageError(usage, `unknown stack "${stack}"`);
await runMain(async () => {
  // Loaded after the arguments are checked: Pulumi takes seconds to load, a usage error should not.
  const [{ deployActionsFor }, { runStack }] = await Promise.all([import("../infra/deploy-permissions.js"), import("../infra/mocks/run.js")]);
  const run = await runStack(stack);
  const { actions, unknown } = deployActionsFor(run.resources.map((r) => r.type));
  if (unknown.length > 0) fail(`no deploy permissions known for: ${unknown.join(", ")} (add them to infra/deploy-permissions.ts)`);
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "CreateAndDestroyTheStack", Effect: "Allow", Action: actions.filter((a) => a !== "iam:PassRole" && a !== "iam:CreateServiceLinkedRole"), Resource: "*" },
      { Sid: "PassOnlyTheStacksRoles", Effect: "Allow", Action: ["iam:PassRole"], Resource: `arn:aws:iam::*:role/cartwright-${stack}-*` },
      ...(actions.includes("iam:CreateServiceLinkedRole")
        ? [{ Sid: "AutoScalingServiceLinkedRole", Effect: "Allow", Action: ["iam:CreateServiceLinkedRole"], Resource: "arn:aws:iam::*:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/*", Condition: { StringLike: { "iam:AWSServiceName": "dynamodb.application-autoscaling.amazonaws.com" } } }]
        : []),
      // Only this stack's secrets key (an alias in a Resource does not authorise a key: the condition does).
      { Sid: "StackSecretsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: "*", Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/cartwright-${stack}-secrets` } } },
      { Sid: "PulumiState", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::cartwright-pulumi-state", "arn:aws:s3:::cartwright-pulumi-state/*"] },
    ],
  };
  console.log(JSON.stringify(policy, null, 2));
});
