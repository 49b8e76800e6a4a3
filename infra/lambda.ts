import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployedNodeOptions } from "./node-options.js";
import { lambdaAssumeRolePolicy, ownLogGroupWrites, type PolicyStatement, policyDocument, tableAccess } from "./iam.js";

/** Everything the Api and Sweeper components share about one function. */
export interface FunctionSpec {
  readonly functionName: pulumi.Input<string>;
  readonly bundleDir: string;
  readonly memoryMb: pulumi.Input<number>;
  readonly timeoutSeconds: pulumi.Input<number>;
  readonly reservedConcurrency?: pulumi.Input<number>;
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly logRetentionDays: pulumi.Input<number>;
  /** Application log level (Lambda's JSON log format sets AWS_LAMBDA_LOG_LEVEL, which the code honours). */
  readonly logLevel: pulumi.Input<string>;
  /** Table actions, granted on the table and each index; none: no table statement at all. */
  readonly dynamoActions: ReadonlyArray<string>;
  readonly tableArn: pulumi.Input<string>;
  readonly indexNames: ReadonlyArray<string>;
  /** Whatever else the function calls (a stream, a bus, a queue, an email identity), as exact statements. */
  readonly statements?: pulumi.Input<ReadonlyArray<PolicyStatement>>;
  /** The stack's permissions boundary (infra/boundary.ts): the role can never do more, whatever its policies say. */
  readonly permissionsBoundary: pulumi.Input<string>;
  readonly tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface ScopedFunction {
  readonly function: aws.lambda.Function;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly role: aws.iam.Role;
}

/** The group Lambda would otherwise create on first log line and leave behind after destroy. */
const functionLogGroup = (parent: pulumi.Resource, name: string, spec: FunctionSpec) =>
  new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    { name: pulumi.interpolate`/aws/lambda/${spec.functionName}`, retentionInDays: spec.logRetentionDays, tags: spec.tags },
    { parent },
  );

// A name prefix (not a fixed name) keeps replacements possible and lets deploy roles scope iam:* to `cartwright-*`.
const executionRole = (parent: pulumi.Resource, name: string, spec: FunctionSpec) =>
  new aws.iam.Role(
    `${name}-role`,
    { namePrefix: pulumi.interpolate`${spec.functionName}-`, assumeRolePolicy: lambdaAssumeRolePolicy, permissionsBoundary: spec.permissionsBoundary, tags: spec.tags },
    { parent },
  );

const rolePolicies = (
  parent: pulumi.Resource,
  name: string,
  spec: FunctionSpec,
  role: aws.iam.Role,
  logGroup: aws.cloudwatch.LogGroup,
): aws.iam.RolePolicy[] => {
  const data =
    spec.dynamoActions.length === 0
      ? []
      : [
          new aws.iam.RolePolicy(
            `${name}-table-access`,
            {
              role: role.id,
              policy: pulumi
                .output(spec.tableArn)
                .apply((tableArn) => policyDocument([tableAccess(spec.dynamoActions, tableArn, spec.indexNames)])),
            },
            { parent },
          ),
        ];
  const other =
    spec.statements === undefined
      ? []
      : [new aws.iam.RolePolicy(`${name}-access`, { role: role.id, policy: pulumi.output(spec.statements).apply((s) => policyDocument(s)) }, { parent })];
  const logs = new aws.iam.RolePolicy(
    `${name}-log-writes`,
    { role: role.id, policy: logGroup.arn.apply((arn) => policyDocument([ownLogGroupWrites(arn)])) },
    { parent },
  );
  return [...data, ...other, logs];
};

const lambdaFunction = (
  parent: pulumi.Resource,
  name: string,
  spec: FunctionSpec,
  role: aws.iam.Role,
  logGroup: aws.cloudwatch.LogGroup,
  policies: aws.iam.RolePolicy[],
) =>
  new aws.lambda.Function(
    `${name}-function`,
    {
      name: spec.functionName,
      code: new pulumi.asset.FileArchive(spec.bundleDir),
      handler: "index.handler",
      runtime: aws.lambda.Runtime.NodeJS22dX,
      architectures: ["arm64"],
      memorySize: spec.memoryMb,
      timeout: spec.timeoutSeconds,
      reservedConcurrentExecutions: spec.reservedConcurrency,
      role: role.arn,
      // Every function runs with the same Node options (measured as deployed by `npm run bench:lambda`).
      environment: { variables: deployedNodeOptions ? { ...spec.environment, NODE_OPTIONS: deployedNodeOptions } : { ...spec.environment } },
      loggingConfig: { logFormat: "JSON", applicationLogLevel: spec.logLevel, systemLogLevel: "WARN", logGroup: logGroup.name },
      tags: spec.tags,
    },
    // The log group and grants exist before the function can run (and the function is destroyed first).
    { parent, dependsOn: [logGroup, ...policies] },
  );

/** A function with its own log group (retention set, removed on destroy) and a least-privilege role. */
export const scopedFunction = (parent: pulumi.Resource, name: string, spec: FunctionSpec): ScopedFunction => {
  const logGroup = functionLogGroup(parent, name, spec);
  const role = executionRole(parent, name, spec);
  const policies = rolePolicies(parent, name, spec, role, logGroup);
  const fn = lambdaFunction(parent, name, spec, role, logGroup, policies);
  return { function: fn, logGroup, role };
};
