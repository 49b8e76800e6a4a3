/** The event flow of the program (stacks/index.ts): the outbox's relay to the bus and the two consumers. */
import type * as pulumi from "@pulumi/pulumi";
import { consumerTableItems } from "../adapters/dynamodb/permissions.js";
import type { StackConfig } from "../infra/config.js";
import type { Database } from "../infra/database.js";
import { EventConsumer } from "../infra/event-consumer.js";
import { EventRelay } from "../infra/event-relay.js";
import type { ItemAccess } from "../infra/iam.js";
import { bundles, type stackNames, type Tags } from "../infra/names.js";
import { parameterNames } from "./secrets.js";

/** The relay and the two consumers: customer email (SES) and partner webhooks (fulfilment). */
export const eventFlow = (config: StackConfig, names: ReturnType<typeof stackNames>, tags: Tags, database: Database, permissionsBoundary: pulumi.Input<string>, partnerSecretArns: ReadonlyArray<pulumi.Input<string>>) => {
  const { events } = config;
  const relay = new EventRelay("events", {
    busName: names.bus,
    functionName: names.relayFunction,
    failedQueueName: names.relayFailedQueue,
    tableArn: database.tableArn,
    streamArn: database.streamArn,
    sizing: events.relay,
    retentionDays: events.dlqRetentionDays,
    logRetentionDays: config.logRetentionDays,
    logLevel: config.logLevel,
    permissionsBoundary,
    tags,
  });
  const consumer = (name: "email" | "fulfilment", detailTypes: ReadonlyArray<string>, environment: Record<string, pulumi.Input<string>>, tableItems: ReadonlyArray<ItemAccess>, emailFrom?: string, secretParameterArns?: ReadonlyArray<pulumi.Input<string>>) =>
    new EventConsumer(name, {
      busName: relay.busName,
      source: "cartwright.orders",
      detailTypes,
      functionName: names.consumerFunction(name),
      queueName: names.consumerQueue(name),
      dlqName: names.consumerDlq(name),
      bundleDir: bundles[name],
      sizing: events.consumers,
      environment: { TABLE_NAME: database.tableName, ...environment },
      tableItems,
      tableArn: database.tableArn,
      ...(emailFrom === undefined ? {} : { emailFrom }),
      ...(secretParameterArns === undefined ? {} : { secretParameterArns }),
      dlqRetentionDays: events.dlqRetentionDays,
      logRetentionDays: config.logRetentionDays,
      logLevel: config.logLevel,
      permissionsBoundary,
      tags,
    });
  // Each consumer takes every order event, even those it does nothing with: each moves its per-order
  // mark, so the sequence has no gaps (an event missing here would hold the order's later events for good).
  const orderEvents = ["OrderPlaced", "OrderPaid", "OrderPacked", "OrderShipped", "OrderDelivered", "OrderCancelled", "OrderPaymentRefunded"];
  const email = consumer("email", orderEvents, { MAIL_FROM: events.emailFrom }, consumerTableItems.email, events.emailFrom);
  const { warehouseUrl, deliveryUrl } = events.webhooks;
  const fulfilment = consumer(
    "fulfilment",
    orderEvents,
    {
      ...(warehouseUrl === undefined ? {} : { WAREHOUSE_WEBHOOK_URL: warehouseUrl }),
      ...(deliveryUrl === undefined ? {} : { DELIVERY_WEBHOOK_URL: deliveryUrl }),
      ...(partnerSecretArns.length === 0 ? {} : { WEBHOOK_SECRETS_PARAMETER: parameterNames(config.stack).partnerWebhooks }),
    },
    consumerTableItems.fulfilment,
    undefined,
    partnerSecretArns,
  );
  return { relay, email, fulfilment };
};
