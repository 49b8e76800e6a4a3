import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { sweeperDynamoActions } from "../adapters/dynamodb/permissions.js";
import { parameterRead } from "./iam.js";
import { scopedFunction } from "./lambda.js";
import { bundles } from "./names.js";

/** What every scheduled function on the table is given: its name, bundle, size, table, logs, boundary and tags. */
export interface ScheduledTableFunctionArgs {
  /** Lambda function name; its log group is `/aws/lambda/<functionName>`. */
  functionName: pulumi.Input<string>;
  /** Built bundle directory holding `index.js`; defaults to the function's directory under `dist/lambda/`. */
  bundleDir?: string;
  /** Minutes between runs (plain: it shapes the schedule expression). */
  everyMinutes: number;
  /** Lambda memory in MB and timeout in seconds. */
  memoryMb: pulumi.Input<number>;
  timeoutSeconds: pulumi.Input<number>;
  /** Name and ARN of the table, and its index names (each granted by ARN). */
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  indexNames: ReadonlyArray<string>;
  /** Retention for the function's log group. */
  logRetentionDays: pulumi.Input<number>;
  /** Application log level of the function (Lambda's logging controls; the code reads it back). */
  logLevel: pulumi.Input<string>;
  /** The stack's permissions boundary, carried by every role this component creates (infra/boundary.ts). */
  permissionsBoundary: pulumi.Input<string>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The hold and payment-window sweeper: runs releaseExpiredHolds every `everyMinutes`. */
export interface SweeperArgs extends ScheduledTableFunctionArgs {
  /** Payment settings: the sweeper cancels orders not paid within the window, and their payments. */
  paymentEnvironment?: Record<string, pulumi.Input<string>>;
  /** ARNs of the secret parameters it reads (Stripe's keys), if any. */
  secretParameterArns?: ReadonlyArray<pulumi.Input<string>>;
}

/** EventBridge wants the singular unit for one: `rate(1 minute)`. */
export const rateExpression = (minutes: number): string => `rate(${minutes} ${minutes === 1 ? "minute" : "minutes"})`;

/** A scheduled Lambda that releases expired stock holds. */
export class Sweeper extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  /** The function's role, which the secrets key's policy names as a reader. */
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: SweeperArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Sweeper", name, {}, opts);
    const fn = scopedFunction(this, name, {
      functionName: args.functionName,
      bundleDir: args.bundleDir ?? bundles.sweeper,
      memoryMb: args.memoryMb,
      timeoutSeconds: args.timeoutSeconds,
      environment: { CARTWRIGHT_STORE: "dynamodb", TABLE_NAME: args.tableName, ...args.paymentEnvironment },
      ...(args.secretParameterArns?.length ? { statements: pulumi.all([...args.secretParameterArns]).apply((arns) => [parameterRead(arns)]) } : {}),
      logRetentionDays: args.logRetentionDays,
    logLevel: args.logLevel,
      dynamoActions: sweeperDynamoActions,
      tableArn: args.tableArn,
      indexNames: args.indexNames,
      permissionsBoundary: args.permissionsBoundary,
      tags: args.tags,
    });
    const rule = schedule(this, name, args);
    scheduleTarget(this, name, rule, fn.function);
    allowInvokeFromSchedule(this, name, rule, fn.function);
    this.functionName = fn.function.name;
    this.roleArn = fn.role.arn;
    this.logGroupName = fn.logGroup.name;
    this.registerOutputs({ functionName: this.functionName, logGroupName: this.logGroupName });
  }
}

const schedule = (parent: pulumi.Resource, name: string, args: SweeperArgs) =>
  new aws.cloudwatch.EventRule(
    `${name}-schedule`,
    // Named after the function: deploy roles are scoped to the stack's rule names.
    { name: pulumi.interpolate`${args.functionName}-schedule`, description: "Release expired stock holds", scheduleExpression: rateExpression(args.everyMinutes), tags: args.tags },
    { parent },
  );

const scheduleTarget = (parent: pulumi.Resource, name: string, rule: aws.cloudwatch.EventRule, fn: aws.lambda.Function) =>
  new aws.cloudwatch.EventTarget(`${name}-target`, { rule: rule.name, arn: fn.arn }, { parent });

const allowInvokeFromSchedule = (parent: pulumi.Resource, name: string, rule: aws.cloudwatch.EventRule, fn: aws.lambda.Function) =>
  new aws.lambda.Permission(
    `${name}-invoke`,
    { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn },
    { parent },
  );
