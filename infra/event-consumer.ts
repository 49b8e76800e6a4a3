import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EventsConfig } from "./config.js";
import { emailSend, type ItemAccess, parameterRead, type PolicyStatement, queueConsume, tableItemAccess } from "./iam.js";
import { scopedFunction } from "./lambda.js";

export interface EventConsumerArgs {
  /** The bus whose events it takes, and which of them: `detail-type`s of one `source`. */
  busName: pulumi.Input<string>;
  source: string;
  detailTypes: ReadonlyArray<string>;
  /** Names of the function, its queue and the queue's dead-letter queue. */
  functionName: pulumi.Input<string>;
  queueName: pulumi.Input<string>;
  dlqName: pulumi.Input<string>;
  /** Built bundle directory (`dist/lambda/<consumer>`). */
  bundleDir: string;
  /**
   * Memory, timeout and deliveries before the DLQ (plain: from the stack file). A message waiting for
   * an earlier event of its order uses up receives too: maxReceiveCount × 6 × timeout is how long an
   * order's events are held behind a failing one before they dead-letter together.
   */
  sizing: EventsConfig["consumers"];
  environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** Table actions its adapters use (receipts, users), on the table only. */
  tableItems: ReadonlyArray<ItemAccess>;
  tableArn: pulumi.Input<string>;
  /** ARNs of the secret parameters it reads (partners' webhook secrets), if any. */
  secretParameterArns?: ReadonlyArray<pulumi.Input<string>>;
  /** The SES identity it sends as, created here (email only); AWS mails it a verification link. */
  emailFrom?: string;
  dlqRetentionDays: number;
  logRetentionDays: pulumi.Input<number>;
  /** Application log level of the function (Lambda's logging controls; the code reads it back). */
  logLevel: pulumi.Input<string>;
  /** The stack's permissions boundary, carried by every role this component creates (infra/boundary.ts). */
  permissionsBoundary: pulumi.Input<string>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** One consumer of the bus: rule → SQS queue (with a redrive DLQ) → function, partial batch failures reported. */
export class EventConsumer extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;
  readonly queueName: pulumi.Output<string>;
  readonly dlqName: pulumi.Output<string>;
  /** The function's role, which the secrets key's policy names as a reader. */
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: EventConsumerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:EventConsumer", name, {}, opts);
    const dlq = new aws.sqs.Queue(`${name}-dlq`, { name: args.dlqName, messageRetentionSeconds: args.dlqRetentionDays * 86400, tags: args.tags }, { parent: this });
    const queue = consumerQueue(this, name, args, dlq);
    const rule = busRule(this, name, args, queue);
    const identity = args.emailFrom === undefined ? undefined : new aws.sesv2.EmailIdentity(`${name}-identity`, { emailIdentity: args.emailFrom, tags: args.tags }, { parent: this });
    const fn = consumerFunction(this, name, args, queue, identity);
    new aws.lambda.EventSourceMapping(
      `${name}-queue-mapping`,
      { eventSourceArn: queue.arn, functionName: fn.function.name, batchSize: 10, functionResponseTypes: ["ReportBatchItemFailures"], tags: args.tags },
      { parent: this, dependsOn: [rule] },
    );
    this.functionName = fn.function.name;
    this.roleArn = fn.role.arn;
    this.queueName = queue.name;
    this.dlqName = dlq.name;
    this.registerOutputs({ functionName: this.functionName, queueName: this.queueName, dlqName: this.dlqName });
  }
}

// AWS's guidance for a Lambda-consumed queue: visibility timeout at least six times the function's timeout.
const consumerQueue = (parent: pulumi.Resource, name: string, args: EventConsumerArgs, dlq: aws.sqs.Queue) =>
  new aws.sqs.Queue(
    `${name}-queue`,
    {
      name: args.queueName,
      visibilityTimeoutSeconds: args.sizing.timeoutSeconds * 6,
      redrivePolicy: dlq.arn.apply((deadLetterTargetArn) => JSON.stringify({ deadLetterTargetArn, maxReceiveCount: args.sizing.maxReceiveCount })),
      tags: args.tags,
    },
    { parent },
  );

/** The rule, its target, and the queue policy letting only that rule send. */
const busRule = (parent: pulumi.Resource, name: string, args: EventConsumerArgs, queue: aws.sqs.Queue) => {
  const rule = new aws.cloudwatch.EventRule(
    `${name}-rule`,
    { eventBusName: args.busName, eventPattern: JSON.stringify({ source: [args.source], "detail-type": [...args.detailTypes] }), tags: args.tags },
    { parent },
  );
  new aws.cloudwatch.EventTarget(`${name}-target`, { eventBusName: args.busName, rule: rule.name, arn: queue.arn }, { parent });
  new aws.sqs.QueuePolicy(
    `${name}-queue-policy`,
    {
      queueUrl: queue.url,
      policy: pulumi.all([queue.arn, rule.arn]).apply(([queueArn, ruleArn]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "FromItsRule", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": ruleArn } } },
          ],
        }),
      ),
    },
    { parent },
  );
  return rule;
};

const consumerFunction = (parent: pulumi.Resource, name: string, args: EventConsumerArgs, queue: aws.sqs.Queue, identity: aws.sesv2.EmailIdentity | undefined) =>
  scopedFunction(parent, name, {
    functionName: args.functionName,
    bundleDir: args.bundleDir,
    memoryMb: args.sizing.memoryMb,
    timeoutSeconds: args.sizing.timeoutSeconds,
    environment: args.environment,
    logRetentionDays: args.logRetentionDays,
    logLevel: args.logLevel,
    dynamoActions: [],
    tableArn: args.tableArn,
    indexNames: [],
    statements: pulumi
      .all([queue.arn, identity?.arn, pulumi.all([...(args.secretParameterArns ?? [])]), args.tableArn])
      .apply(([queueArn, identityArn, parameters, tableArn]): PolicyStatement[] => [
        ...tableItemAccess(tableArn, args.tableItems),
        queueConsume(queueArn),
        ...(identityArn === undefined ? [] : [emailSend(identityArn)]),
        ...(parameters.length === 0 ? [] : [parameterRead(parameters)]),
      ]),
    permissionsBoundary: args.permissionsBoundary,
    tags: args.tags,
  });
