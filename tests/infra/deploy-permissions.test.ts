import { describe, expect, it } from "vitest";
import { deployActionsFor } from "../../infra/deploy-permissions.js";
import { runStack } from "../../infra/mocks/run.js";

describe.each(["dev", "staging", "prod"])("Deploy role for stack %s", (stack) => {
  it("covers every resource type the program creates (derived from the plan: a new type without permissions fails here)", async () => {
    const run = await runStack(stack);
    const { actions, unknown } = deployActionsFor(run.resources.map((r) => r.type));
    expect(unknown).toEqual([]);
    // What a first `pulumi up` would otherwise find missing.
    expect(actions).toEqual(expect.arrayContaining(["ssm:PutParameter", "iam:PassRole", "lambda:CreateEventSourceMapping"]));
    if (run.resources.some((r) => r.type === "aws:cloudwatch/logMetricFilter:LogMetricFilter")) expect(actions).toContain("logs:PutMetricFilter");
    // HTTP API access logging delivers to a log group through CloudWatch Logs' vended logs.
    expect(actions).toEqual(expect.arrayContaining(["logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies"]));
    if (stack === "prod") expect(actions).toEqual(expect.arrayContaining(["iam:CreateServiceLinkedRole", "application-autoscaling:RegisterScalableTarget", "ec2:CreateVpcEndpoint"]));
    else expect(actions).not.toContain("iam:CreateServiceLinkedRole");
  }, 60_000);
});
