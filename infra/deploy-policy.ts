/**
 * The deploy role's policy for one stack, derived from the resource types its program creates
 * (`deployActionsFor`): every action on that stack's own names, except the few AWS allows on nothing narrower
 * than `*`, listed below with their reason. IAM writes reach only the stack's own roles and only with the
 * stack's permissions boundary attached, so a deploy role cannot grant itself, or any role it makes, more than
 * the boundary (`permissionsBoundaryPolicy`). The state bucket is readable and writable under the stack's prefix only.
 */
import { deployActionsFor } from "./deploy-permissions.js";

export interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: ReadonlyArray<string>;
  readonly Resource: string | ReadonlyArray<string>;
  readonly Condition?: Record<string, Record<string, string | ReadonlyArray<string>>>;
}

export const stateBucket = "cartwright-pulumi-state";
export const boundaryPolicyName = (stack: string) => `cartwright-${stack}-boundary`;
export const deployRoleName = (stack: string) => `cartwright-deploy-${stack}`;

/**
 * Write actions granted on `*`, each with the reason AWS allows nothing narrower and what narrows it instead.
 * A test fails on any write on `*` missing from this list.
 */
export const unscopedWrites: Readonly<Record<string, string>> = {
  "logs:CreateLogDelivery": "vended-log deliveries (the HTTP API's access logs) support no resource-level permissions",
  "logs:UpdateLogDelivery": "vended-log deliveries support no resource-level permissions",
  "logs:DeleteLogDelivery": "vended-log deliveries support no resource-level permissions",
  "logs:PutResourcePolicy": "CloudWatch Logs resource policies support no resource-level permissions",
  "lambda:CreateEventSourceMapping": "mappings have no ARN before they exist; the lambda:FunctionArn condition limits them to the stack's functions",
  "lambda:UpdateEventSourceMapping": "mapping ARNs are random ids; the lambda:FunctionArn condition limits them to the stack's functions",
  "lambda:DeleteEventSourceMapping": "mapping ARNs are random ids; the lambda:FunctionArn condition limits them to the stack's functions",
  "application-autoscaling:RegisterScalableTarget": "scalable-target ARNs are assigned by AWS at registration; the table is named in the request",
  "application-autoscaling:DeregisterScalableTarget": "scalable-target ARNs are assigned by AWS",
  "application-autoscaling:PutScalingPolicy": "scaling policies are addressed by the scalable target, whose ARN AWS assigns",
  "application-autoscaling:DeleteScalingPolicy": "scaling policies are addressed by the scalable target, whose ARN AWS assigns",
  "application-autoscaling:TagResource": "scalable-target ARNs are assigned by AWS",
  "iam:CreateServiceLinkedRole": "AWS names service-linked roles; limited to Application Auto Scaling's DynamoDB role by name and service",
  "kms:CreateKey": "key ids are assigned by AWS; the aws:RequestTag/stack condition makes the key the stack's; the key's own policy then names the deploy role",
  "cognito-idp:CreateUserPool": "user pool ids are assigned by AWS; the aws:RequestTag/stack condition makes the pool the stack's, and every other pool action needs that tag on the pool",
  "kms:TagResource": "tagging a key at creation is authorised before it has an ARN; limited to the stack's tag on keys that have none (nothing else is granted on keys by IAM)",
  // Residual risk: these reach every HTTP API in the account. Stacks in separate accounts close it (README, Roles).
  "apigateway:POST": "HTTP API ids are assigned by AWS; creating one is limited to `/apis` and its children",
  "apigateway:PATCH": "HTTP API ids are assigned by AWS (ARNs hold ids, not names); limited to `/apis` and its children",
  "apigateway:PUT": "HTTP API ids are assigned by AWS; limited to `/apis` and its children",
  "apigateway:DELETE": "HTTP API ids are assigned by AWS; limited to `/apis` and its children",
  "apigateway:TagResource": "HTTP API ids are assigned by AWS",
  "apigateway:UntagResource": "HTTP API ids are assigned by AWS",
  "cloudfront:CreateDistribution": "distribution ids are assigned by AWS; the aws:RequestTag/stack condition makes the distribution the stack's, and every other distribution action needs that tag on it",
  // Residual risk: these reach every origin access control in the account (they take no tags). A changed OAC can stop
  // a distribution reading its bucket; it cannot open one (each bucket's policy names its own distribution).
  "cloudfront:CreateOriginAccessControl": "CloudFront authorises creating an origin access control only on `*`",
  "cloudfront:UpdateOriginAccessControl": "origin access controls have AWS-assigned ids and take no tags: nothing in their ARN or tags names the stack",
  "cloudfront:DeleteOriginAccessControl": "origin access controls have AWS-assigned ids and take no tags: nothing in their ARN or tags names the stack",
};

/** The ARNs of the stack's own resources, per service (names all start `cartwright-<stack>`). */
const stackResources = (stack: string, emailIdentities: ReadonlyArray<string>): Readonly<Record<string, ReadonlyArray<string>>> => {
  const p = `cartwright-${stack}`;
  return {
    dynamodb: [`arn:aws:dynamodb:*:*:table/${p}`, `arn:aws:dynamodb:*:*:table/${p}/*`],
    lambda: [`arn:aws:lambda:*:*:function:${p}-*`],
    iam: [`arn:aws:iam::*:role/${p}-*`],
    logs: [`arn:aws:logs:*:*:log-group:/aws/lambda/${p}-*`, `arn:aws:logs:*:*:log-group:/aws/apigateway/${p}-*`],
    cloudwatch: [`arn:aws:cloudwatch:*:*:alarm:${p}-*`, `arn:aws:cloudwatch:*:*:alarm:TargetTracking-table/${p}*`],
    events: [`arn:aws:events:*:*:rule/${p}-*`, `arn:aws:events:*:*:rule/${p}/*`, `arn:aws:events:*:*:event-bus/${p}`],
    sqs: [`arn:aws:sqs:*:*:${p}-*`],
    sns: [`arn:aws:sns:*:*:${p}-*`],
    budgets: [`arn:aws:budgets::*:budget/${p}-*`],
    ses: emailIdentities.map((identity) => `arn:aws:ses:*:*:identity/${identity}`),
    ssm: [`arn:aws:ssm:*:*:parameter/cartwright/${stack}/*`],
    kms: [`arn:aws:kms:*:*:alias/${p}-*`],
    // Pool ARNs hold AWS's ids, not names: the statement's aws:ResourceTag/stack condition is what scopes them.
    "cognito-idp": [`arn:aws:cognito-idp:*:*:userpool/*`],
    // The media bucket and its objects (forceDestroy empties it): `cartwright-<stack>-media-<account>`.
    s3: [`arn:aws:s3:::${p}-media-*`, `arn:aws:s3:::${p}-media-*/*`],
    // Distribution ARNs hold AWS's ids: the aws:ResourceTag/stack condition scopes them, as for user pools.
    cloudfront: [`arn:aws:cloudfront::*:distribution/*`],
  };
};

/** Reads AWS authorises only on `*` (account-wide listings and descriptions, no secret in their answers). */
export const unscopedReads = [
  "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:ListLogDeliveries", "logs:GetLogDelivery", "logs:DescribeMetricFilters",
  "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies", "application-autoscaling:ListTagsForResource",
  "ssm:DescribeParameters", "dynamodb:ListStreams", "lambda:ListEventSourceMappings", "lambda:GetEventSourceMapping", "cloudwatch:DescribeAlarms",
  "kms:ListAliases", "apigateway:GET", "cognito-idp:DescribeUserPoolDomain", "cloudfront:GetOriginAccessControl",
];

const apiPaths = ["arn:aws:apigateway:*::/apis", "arn:aws:apigateway:*::/apis/*", "arn:aws:apigateway:*::/tags/*"];

const service = (action: string) => action.split(":")[0]!;

/** IAM writes that can change what a role may do: only with the stack's boundary on the role. */
const boundedIamWrites = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"];

export const deployRolePolicy = (stack: string, types: Iterable<string>, emailIdentities: ReadonlyArray<string>) => {
  const { actions, unknown } = deployActionsFor(types);
  const resources = stackResources(stack, emailIdentities);
  const p = `cartwright-${stack}`;
  const stackFunctions = { ArnLike: { "lambda:FunctionArn": `arn:aws:lambda:*:*:function:${p}-*` } };
  const boundary = { StringLike: { "iam:PermissionsBoundary": `arn:aws:iam::*:policy/${boundaryPolicyName(stack)}` } };
  const special = new Set(["iam:PassRole", "iam:CreateServiceLinkedRole", "sts:GetCallerIdentity", ...boundedIamWrites]);
  const mappings = actions.filter((a) => /^lambda:(Create|Update|Delete)EventSourceMapping$/.test(a));
  const createdWithTag = ["kms:CreateKey", "kms:TagResource", "cognito-idp:CreateUserPool", "cloudfront:CreateDistribution"];
  const rest = actions.filter((a) => !special.has(a) && !mappings.includes(a) && !createdWithTag.includes(a));
  // apigateway's resources are paths of ids AWS assigns: its actions go on `/apis` below, listed in unscopedWrites.
  const onStar = (a: string) => unscopedReads.includes(a) || (unscopedWrites[a] !== undefined && service(a) !== "apigateway");
  const unscoped = rest.filter(onStar);
  const apigateway = rest.filter((a) => service(a) === "apigateway");
  const scoped = rest.filter((a) => !onStar(a) && service(a) !== "apigateway");
  const byService = new Map<string, string[]>();
  for (const a of scoped) byService.set(service(a), [...(byService.get(service(a)) ?? []), a]);
  const statements: Statement[] = [
    ...[...byService].flatMap(([svc, list]): Statement[] => {
      if (!resources[svc]) throw new Error(`no stack-scoped resources known for ${svc}: add them to infra/deploy-policy.ts`);
      const sid = `Stack${svc.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`;
      if (svc === "cognito-idp" || svc === "cloudfront") return [{ Sid: sid, Effect: "Allow", Action: list, Resource: resources[svc]!, Condition: { StringEquals: { "aws:ResourceTag/stack": stack } } }];
      if (svc !== "kms") return [{ Sid: sid, Effect: "Allow", Action: list, Resource: resources[svc]! }];
      // Aliases by the stack's names (each alias action is also authorised on the key, by the key's own policy).
      const aliases = list.filter((a) => /Alias/.test(a));
      return aliases.length > 0 ? [{ Sid: "StackKeyAliases", Effect: "Allow" as const, Action: aliases, Resource: resources.kms! }] : [];
    }),
    { Sid: "UnscopedReadsAndListedWrites", Effect: "Allow", Action: ["sts:GetCallerIdentity", ...unscoped], Resource: "*" },
    ...(apigateway.length > 0 ? [{ Sid: "HttpApis", Effect: "Allow" as const, Action: apigateway, Resource: apiPaths }] : []),
    ...(mappings.length > 0 ? [{ Sid: "StackEventSourceMappings", Effect: "Allow" as const, Action: mappings, Resource: "*", Condition: stackFunctions }] : []),
    // Tagging at creation needs kms:TagResource; the Null condition keeps it off any key already tagged with a stack.
    ...(actions.includes("kms:CreateKey")
      ? [{ Sid: "CreateStackKeys", Effect: "Allow" as const, Action: ["kms:CreateKey", "kms:TagResource"], Resource: "*", Condition: { StringEquals: { "aws:RequestTag/stack": stack }, Null: { "aws:ResourceTag/stack": "true" } } }]
      : []),
    ...(actions.includes("cognito-idp:CreateUserPool")
      ? [{ Sid: "CreateStackUserPools", Effect: "Allow" as const, Action: ["cognito-idp:CreateUserPool"], Resource: "*", Condition: { StringEquals: { "aws:RequestTag/stack": stack } } }]
      : []),
    // Creating a distribution with its tags is authorised as CreateDistribution and TagResource on the new distribution.
    ...(actions.includes("cloudfront:CreateDistribution")
      ? [{ Sid: "CreateStackDistributions", Effect: "Allow" as const, Action: ["cloudfront:CreateDistribution", "cloudfront:TagResource"], Resource: resources.cloudfront!, Condition: { StringEquals: { "aws:RequestTag/stack": stack }, Null: { "aws:ResourceTag/stack": "true" } } }]
      : []),
    { Sid: "StackRolesOnlyWithTheBoundary", Effect: "Allow", Action: boundedIamWrites.filter((a) => actions.includes(a) || a === "iam:PutRolePermissionsBoundary"), Resource: resources.iam!, Condition: boundary },
    { Sid: "PassOnlyTheStacksRolesToLambda", Effect: "Allow", Action: ["iam:PassRole"], Resource: resources.iam!, Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
    ...(actions.includes("iam:CreateServiceLinkedRole")
      ? [{ Sid: "AutoScalingServiceLinkedRole", Effect: "Allow" as const, Action: ["iam:CreateServiceLinkedRole"], Resource: "arn:aws:iam::*:role/aws-service-role/dynamodb.application-autoscaling.amazonaws.com/*", Condition: { StringLike: { "iam:AWSServiceName": "dynamodb.application-autoscaling.amazonaws.com" } } }]
      : []),
    // Only this stack's Pulumi secrets key (an alias in a Resource does not authorise a key: the condition does).
    { Sid: "StackSecretsKey", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: "*", Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": `alias/${p}-secrets` } } },
    ...stateBucketAccess(stack),
  ];
  return { policy: { Version: "2012-10-17", Statement: statements }, unknown };
};

/** A managed policy holds at most 6,144 characters (whitespace not counted); a role takes 10 managed policies by default. */
export const managedPolicyChars = 6_144;
export const maxManagedPoliciesPerRole = 10;
export const deployPolicyName = (stack: string, part: number) => `cartwright-deploy-${stack}-${part}`;

/**
 * The deploy role's statements as managed policies, in order, each within a managed policy's size: together they are
 * over the 10,240 characters a role's inline policies may hold. An administrator creates and attaches them; the deploy
 * role itself can neither change nor attach a policy.
 */
export const deployPolicyParts = (stack: string, statements: ReadonlyArray<Statement>, limit = managedPolicyChars) => {
  const size = (part: ReadonlyArray<Statement>) => JSON.stringify({ Version: "2012-10-17", Statement: part }).length;
  const parts: Array<Array<Statement>> = [];
  for (const statement of statements) {
    if (size([statement]) > limit) throw new Error(`statement ${statement.Sid} alone is over a managed policy's ${limit} characters`);
    const last = parts.at(-1);
    if (last !== undefined && size([...last, statement]) <= limit) last.push(statement);
    else parts.push([statement]);
  }
  return Object.fromEntries(parts.map((part, i) => [deployPolicyName(stack, i + 1), { Version: "2012-10-17", Statement: part }]));
};

/** Pulumi's DIY backend keeps a project's stack under these prefixes (state, history, backups, locks). */
export const statePrefixes = (stack: string) => [
  `.pulumi/stacks/cartwright/${stack}.json`,
  `.pulumi/history/cartwright/${stack}/`,
  `.pulumi/backups/cartwright/${stack}/`,
  `.pulumi/locks/cartwright/${stack}/`,
];

const stateBucketAccess = (stack: string): Statement[] => [
  { Sid: "StateOfThisStackOnly", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: statePrefixes(stack).map((prefix) => `arn:aws:s3:::${stateBucket}/${prefix}*`) },
  { Sid: "StateBackendMetadata", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${stateBucket}/.pulumi/meta.yaml`] },
  { Sid: "ListThisStacksState", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [`arn:aws:s3:::${stateBucket}`], Condition: { StringLike: { "s3:prefix": [...statePrefixes(stack).map((prefix) => `${prefix}*`), ".pulumi/meta.yaml"] } } },
];

/** The GitHub environment each stack deploys from (README.md, Roles): its branch or tag rule is the gate. */
export const deployEnvironment = (stack: string): string => (stack === "dev" ? "sandbox" : stack);

/** The deploy role's trust: GitHub's OIDC tokens for this repository's job in the stack's environment, nothing else. */
export const deployRoleTrustPolicy = (stack: string, repository: string, accountId: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": `repo:${repository}:environment:${deployEnvironment(stack)}`,
        },
      },
    },
  ],
});
