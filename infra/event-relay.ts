import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EventsConfig } from "./config.js";
import { busPublish, queueSend, tableStreamRead } from "./iam.js";
import { scopedFunction } from "./lambda.js";
import { bundles } from "./names.js";

export interface EventRelayArgs {
  /** Name of the stack's custom EventBridge bus. */
  busName: pulumi.Input<string>;
  /** Relay function name, and the queue its mapping sends records it gives up on. */
  functionName: pulumi.Input<string>;
  failedQueueName: pulumi.Input<string>;
  /** The table and its stream (new images). */
  tableArn: pulumi.Input<string>;
  streamArn: pulumi.Input<string>;
  /** Memory, timeout, batch size, retries and record age (plain: from the stack file). */
  sizing: EventsConfig["relay"];
  /** Days the failed-records queue keeps a message. */
  retentionDays: number;
  logRetentionDays: pulumi.Input<number>;
  /** Application log level of the function (Lambda's logging controls; the code reads it back). */
  logLevel: pulumi.Input<string>;
  /** The stack's permissions boundary, carried by every role this component creates (infra/boundary.ts). */
  permissionsBoundary: pulumi.Input<string>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Only the outbox's inserts reach the function: no other write, and no TTL deletion, costs an invocation.
 * Outbox sort keys: `EVENT` (a StockLow) and `EVENT#<sequence>` (an order's event, in the order's partition).
 */
export const outboxInsertFilter = JSON.stringify({ eventName: ["INSERT"], dynamodb: { NewImage: { SK: { S: [{ prefix: "EVENT" }] } } } });

/** The stack's event bus, fed by a function that relays the table's outbox inserts from its stream. */
export class EventRelay extends pulumi.ComponentResource {
  readonly busName: pulumi.Output<string>;
  readonly busArn: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly failedQueueName: pulumi.Output<string>;

  constructor(name: string, args: EventRelayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:EventRelay", name, {}, opts);
    const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: args.busName, tags: args.tags }, { parent: this });
    const failed = failedQueue(this, name, args);
    const fn = relayFunction(this, name, args, bus, failed);
    streamMapping(this, name, args, fn.function, failed);
    this.busName = bus.name;
    this.busArn = bus.arn;
    this.functionName = fn.function.name;
    this.failedQueueName = failed.name;
    this.registerOutputs({ busName: this.busName, busArn: this.busArn, functionName: this.functionName, failedQueueName: this.failedQueueName });
  }
}

const failedQueue = (parent: pulumi.Resource, name: string, args: EventRelayArgs) =>
  new aws.sqs.Queue(`${name}-failed`, { name: args.failedQueueName, messageRetentionSeconds: args.retentionDays * 86400, tags: args.tags }, { parent });

const relayFunction = (parent: pulumi.Resource, name: string, args: EventRelayArgs, bus: aws.cloudwatch.EventBus, failed: aws.sqs.Queue) =>
  scopedFunction(parent, `${name}-relay`, {
    functionName: args.functionName,
    bundleDir: bundles.relay,
    memoryMb: args.sizing.memoryMb,
    timeoutSeconds: args.sizing.timeoutSeconds,
    environment: { EVENT_BUS_NAME: bus.name },
    logRetentionDays: args.logRetentionDays,
    logLevel: args.logLevel,
    dynamoActions: [],
    tableArn: args.tableArn,
    indexNames: [],
    statements: pulumi
      .all([args.tableArn, bus.arn, failed.arn])
      .apply(([table, busArn, queue]) => [tableStreamRead(table), busPublish(busArn), queueSend("FailedRecords", queue)]),
    permissionsBoundary: args.permissionsBoundary,
    tags: args.tags,
  });

// Finite retries, a record age limit and bisection: a poison record ends in the failed queue instead of blocking its shard.
const streamMapping = (parent: pulumi.Resource, name: string, args: EventRelayArgs, fn: aws.lambda.Function, failed: aws.sqs.Queue) =>
  new aws.lambda.EventSourceMapping(
    `${name}-stream`,
    {
      eventSourceArn: args.streamArn,
      functionName: fn.name,
      startingPosition: "TRIM_HORIZON",
      batchSize: args.sizing.batchSize,
      maximumRetryAttempts: args.sizing.maximumRetryAttempts,
      maximumRecordAgeInSeconds: args.sizing.maximumRecordAgeSeconds,
      bisectBatchOnFunctionError: true,
      functionResponseTypes: ["ReportBatchItemFailures"],
      destinationConfig: { onFailure: { destinationArn: failed.arn } },
      filterCriteria: { filters: [{ pattern: outboxInsertFilter }] },
      tags: args.tags,
    },
    { parent },
  );
