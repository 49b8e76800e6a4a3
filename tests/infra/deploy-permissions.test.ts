import { beforeAll, describe, expect, it } from "vitest";
import { boundaryArn, permissionsBoundaryPolicy } from "../../infra/boundary.js";
import { deployActionsFor } from "../../infra/deploy-permissions.js";
import {
  deployEnvironment,
  deployPolicyParts,
  deployRoleName,
  deployRolePolicy,
  deployRoleTrustPolicy,
  managedPolicyChars,
  maxManagedPoliciesPerRole,
  type Statement,
  stateBucket,
  unscopedReads,
  unscopedWrites,
} from "../../infra/deploy-policy.js";
import { type StackRun, runStack } from "../../infra/mocks/run.js";
import { mockAccount } from "../../infra/mocks/state.js";
import { ofType, statements, types } from "./helpers.js";

const stacks = ["dev", "staging", "prod"] as const;
const list = (value: string | ReadonlyArray<string>): ReadonlyArray<string> => (typeof value === "string" ? [value] : value);
/** IAM's wildcard matching: `*` any run of characters, `?` one. */
const matches = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);
const isRead = (action: string) => action === "sts:GetCallerIdentity" || unscopedReads.includes(action);
const identities = (run: StackRun) => ofType(run, types.identity).map((r) => String(r.inputs.emailIdentity));
/** A statement confined to the stack: each resource names it, or a condition does. */
const confined = (stack: string, s: Statement, emailIdentities: ReadonlyArray<string>) =>
  list(s.Resource).every((r) => r.endsWith("/.pulumi/meta.yaml") || r.includes(`cartwright-${stack}`) || r.includes(`cartwright/${stack}`) || emailIdentities.some((i) => r.endsWith(`identity/${i}`))) ||
  JSON.stringify(s.Condition ?? {}).includes(stack);

/** Writes beyond the stack's names not listed in unscopedWrites, and secret reads beyond them: what the invariants forbid. */
const violations = (stack: string, statements: ReadonlyArray<Statement>, emailIdentities: ReadonlyArray<string>): string[] => {
  const loose = statements.filter((s) => !confined(stack, s, emailIdentities));
  const secretReads = ["ssm:GetParameter", "ssm:GetParameters", "lambda:GetFunctionConfiguration", "lambda:GetFunction", "kms:Decrypt"];
  return [
    ...loose.flatMap((s) => s.Action.filter((a) => !isRead(a) && unscopedWrites[a] === undefined)),
    ...loose.flatMap((s) => s.Action.filter((a) => secretReads.includes(a))),
  ];
};

describe.each(stacks)("Deploy role for stack %s", (stack) => {
  let run: StackRun;
  let policy: { Statement: Statement[] };
  beforeAll(async () => {
    run = await runStack(stack);
    policy = deployRolePolicy(stack, run.resources.map((r) => r.type), identities(run)).policy;
  }, 60_000);

  it("covers every resource type the program creates (derived from the plan: a new type without permissions fails here)", () => {
    const { actions, unknown } = deployActionsFor(run.resources.map((r) => r.type));
    expect(unknown).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(["ssm:PutParameter", "iam:PassRole", "lambda:CreateEventSourceMapping", "logs:CreateLogDelivery", "logs:PutResourcePolicy"]));
    if (stack === "prod") expect(actions).toEqual(expect.arrayContaining(["iam:CreateServiceLinkedRole", "application-autoscaling:RegisterScalableTarget"]));
    else expect(actions).not.toContain("iam:CreateServiceLinkedRole");
  });

  it("grants no write action beyond the stack's own resources except those listed with the reason AWS allows nothing narrower (invariant: a new unscoped write fails here)", () => {
    expect(violations(stack, policy.Statement, identities(run))).toEqual([]);
    for (const reason of Object.values(unscopedWrites)) expect(reason.length).toBeGreaterThan(20);
  });

  it("splits into managed policies of at most 6,144 characters each, no more than a role takes, holding every statement once", () => {
    const parts = Object.values(deployPolicyParts(stack, policy.Statement));
    for (const part of parts) expect(JSON.stringify(part).length).toBeLessThanOrEqual(managedPolicyChars);
    expect(parts.length).toBeLessThanOrEqual(maxManagedPoliciesPerRole);
    expect(parts.flatMap((p) => p.Statement)).toEqual(policy.Statement);
    // The reason for the split: the whole is over what a role's inline policies may hold, or close to it.
    expect(JSON.stringify(policy).length).toBeGreaterThan(managedPolicyChars);
  });

  it("manages only the stack's media bucket, and distributions tagged with the stack (created only with that tag)", () => {
    const media = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("s3:")) && !list(s.Resource).some((r) => r.includes(stateBucket)));
    expect(media.flatMap((s) => list(s.Resource))).toEqual([`arn:aws:s3:::cartwright-${stack}-media-*`, `arn:aws:s3:::cartwright-${stack}-media-*/*`]);
    const distributions = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("cloudfront:") && !a.includes("OriginAccessControl")));
    expect(distributions.map((s) => s.Condition)).toEqual([
      { StringEquals: { "aws:ResourceTag/stack": stack } },
      { StringEquals: { "aws:RequestTag/stack": stack }, Null: { "aws:ResourceTag/stack": "true" } },
    ]);
    expect(distributions[1]!.Action).toEqual(["cloudfront:CreateDistribution", "cloudfront:TagResource"]);
  });

  it("would refuse the former policy: every action on `*` in one unconditioned statement (regression: a deploy role could make itself admin)", () => {
    const { actions } = deployActionsFor(run.resources.map((r) => r.type));
    const former: Statement = { Sid: "CreateAndDestroyTheStack", Effect: "Allow", Action: actions.filter((a) => a !== "iam:PassRole" && a !== "iam:CreateServiceLinkedRole"), Resource: "*" };
    expect(violations(stack, [former], identities(run))).toEqual(expect.arrayContaining(["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreateRole", "ssm:GetParameter", "lambda:UpdateFunctionCode", "dynamodb:DeleteTable", "logs:DeleteLogGroup"]));
  });

  it("grants nothing on KMS keys but creating the stack's (tagged, on untagged keys only): a key's own policy names who administers it", () => {
    const onKeys = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("kms:") && !/Alias/.test(a)) && s.Sid !== "StackSecretsKey");
    expect(onKeys.map((s) => [s.Action, s.Condition])).toEqual([[["kms:CreateKey", "kms:TagResource"], { StringEquals: { "aws:RequestTag/stack": stack }, Null: { "aws:ResourceTag/stack": "true" } }]]);
  });

  it("never grants a `*` action, nor reading a secret or a function's configuration outside the stack", () => {
    for (const s of policy.Statement) expect(s.Action.filter((a) => a.includes("*"))).toEqual([]);
    const secretReads = ["ssm:GetParameter", "ssm:GetParameters", "lambda:GetFunctionConfiguration", "lambda:GetFunction", "kms:Decrypt"];
    for (const s of policy.Statement.filter((s) => s.Action.some((a) => secretReads.includes(a)))) expect(confined(stack, s, identities(run))).toBe(true);
  });

  it("lets IAM writes reach only the stack's own roles, and only with the stack's boundary attached (invariant: a deploy role cannot grant itself, or a role it makes, more)", () => {
    const iam = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("iam:")));
    for (const s of iam) {
      for (const r of list(s.Resource)) {
        expect(matches(r, `arn:aws:iam::${mockAccount}:role/${deployRoleName(stack)}`), `${s.Sid} reaches the deploy role`).toBe(false);
        for (const other of stacks.filter((o) => o !== stack)) expect(matches(r, `arn:aws:iam::${mockAccount}:role/cartwright-${other}-api-abc`)).toBe(false);
      }
    }
    const escalations = ["iam:AttachRolePolicy", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeleteRolePermissionsBoundary", "iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:CreateUser", "iam:CreateAccessKey"];
    expect(iam.flatMap((s) => s.Action).filter((a) => escalations.includes(a))).toEqual([]);
    const changesPermissions = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"];
    for (const s of iam.filter((s) => s.Action.some((a) => changesPermissions.includes(a)))) {
      expect(s.Condition).toEqual({ StringLike: { "iam:PermissionsBoundary": `arn:aws:iam::*:policy/cartwright-${stack}-boundary` } });
    }
    expect(iam.find((s) => s.Action.includes("iam:PassRole"))?.Condition).toEqual({ StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } });
  });

  it("reads and writes only this stack's state in the state bucket", () => {
    const s3 = policy.Statement.filter((s) => s.Action.some((a) => a.startsWith("s3:")) && list(s.Resource).some((r) => r.includes(stateBucket)));
    expect(s3.map((s) => s.Sid)).toEqual(["StateOfThisStackOnly", "StateBackendMetadata", "ListThisStacksState"]);
    for (const s of s3) for (const r of list(s.Resource)) expect(r === "arn:aws:s3:::cartwright-pulumi-state" || r.includes(`/${stack}`) || r.endsWith("/.pulumi/meta.yaml")).toBe(true);
    for (const other of stacks.filter((o) => o !== stack)) {
      const otherState = `arn:aws:s3:::cartwright-pulumi-state/.pulumi/stacks/cartwright/${other}.json`;
      expect(s3.filter((s) => s.Action.includes("s3:GetObject")).flatMap((s) => list(s.Resource)).filter((r) => matches(r, otherState))).toEqual([]);
    }
    expect(s3.find((s) => s.Action.includes("s3:ListBucket"))?.Condition).toBeDefined();
  });

  it("gives every role the program creates the stack's permissions boundary", () => {
    const roles = ofType(run, types.role);
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) expect({ role: role.name, boundary: role.inputs.permissionsBoundary }).toEqual({ role: role.name, boundary: boundaryArn(mockAccount, stack) });
  });

  it("keeps every permission the program grants its roles within the boundary (a grant outside it would fail at run time)", () => {
    const boundary = permissionsBoundaryPolicy(stack, identities(run)).Statement;
    const outside = statements(run).flatMap((s) =>
      s.Action.flatMap((action) =>
        s.Resource.filter((resource) => !boundary.some((b) => b.Action.includes(action) && list(b.Resource).some((pattern) => matches(pattern, resource)))).map((r) => `${s.role}: ${action} on ${r}`),
      ),
    );
    expect(outside).toEqual([]);
  });
});

describe("Deploy roles' trust", () => {
  it.each(stacks)("lets only GitHub jobs running in %s's environment assume its deploy role (invariant: the environment's branch or tag rule gates every deploy)", async (stack) => {
    const trust = deployRoleTrustPolicy(stack, "acme/cartwright", mockAccount);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]!.Condition).toEqual({
      StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": `repo:acme/cartwright:environment:${deployEnvironment(stack)}` },
    });
    const deploy = await import("node:fs/promises").then((fs) => fs.readFile(new URL(`../../.github/workflows/${stack === "dev" ? "sandbox-destroy" : "deploy"}.yml`, import.meta.url), "utf8"));
    expect(deploy).toContain(`environment: ${deployEnvironment(stack)}`);
  });
});
