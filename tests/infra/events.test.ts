import { beforeAll, describe, expect, it } from "vitest";
import { Effect } from "effect";
import { consumerTableItems } from "../../adapters/dynamodb/permissions.js";
import { Keys as keys } from "../../adapters/dynamodb/keys.js";
import { dynamoReceipts } from "../../adapters/dynamodb/receipts.js";
import type { Dynamo } from "../../adapters/dynamodb/client.js";
import { OrderEvent } from "../../domain/index.js";
import { type StackRun, runStack } from "../../infra/mocks/run.js";
import { env, named, ofType, statements, types } from "./helpers.js";

/** The event settings of each stack file, restated so a YAML edit that drifts from them fails. */
const expectations = [
  { stack: "dev", retries: 3, recordAge: 3600, receives: 5, webhooks: false },
  { stack: "staging", retries: 5, recordAge: 21600, receives: 10, webhooks: true },
  { stack: "prod", retries: 10, recordAge: 86400, receives: 10, webhooks: true },
] as const;

for (const expected of expectations) {
  describe(`Stack ${expected.stack}: order events`, () => {
    let run: StackRun;
    const arn = (service: string, resource: string) => `arn:aws:${service}:us-east-1:123456789012:${resource}`;
    const tableArn = () => arn("dynamodb", `table/cartwright-${expected.stack}`);
    beforeAll(async () => {
      run = await runStack(expected.stack);
    });

    it("streams the table's new images and relays only outbox inserts, with finite retries, bisection, a record age and an on-failure queue", () => {
      expect(named(run, types.table, "database-table").inputs).toMatchObject({ streamEnabled: true, streamViewType: "NEW_IMAGE" });
      const mapping = named(run, types.mapping, "events-stream").inputs;
      expect(mapping).toMatchObject({
        eventSourceArn: `${tableArn()}/stream/2026-01-01T00:00:00.000`,
        functionName: `cartwright-${expected.stack}-relay`,
        startingPosition: "TRIM_HORIZON",
        maximumRetryAttempts: expected.retries,
        maximumRecordAgeInSeconds: expected.recordAge,
        bisectBatchOnFunctionError: true,
        functionResponseTypes: ["ReportBatchItemFailures"],
        destinationConfig: { onFailure: { destinationArn: arn("sqs", `cartwright-${expected.stack}-relay-failed`) } },
      });
      const [filter] = (mapping.filterCriteria as { filters: Array<{ pattern: string }> }).filters;
      expect(JSON.parse(filter!.pattern)).toEqual({ eventName: ["INSERT"], dynamodb: { NewImage: { SK: { S: [{ prefix: "EVENT" }] } } } });
      expect(env(named(run, types.fn, "events-relay-function"))).toMatchObject({ EVENT_BUS_NAME: `cartwright-${expected.stack}` });
    });

    it("lets the relay read this table's stream, put events on this bus and send to its failed queue, and nothing else", () => {
      expect(statements(run).filter((s) => s.role.startsWith("events-relay-") && !s.role.endsWith("log-writes"))).toEqual([
        { role: "events-relay-access", Sid: "TableStreamRead", Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"], Resource: [`${tableArn()}/stream/*`] },
        { role: "events-relay-access", Sid: "BusPublish", Action: ["events:PutEvents"], Resource: [arn("events", `event-bus/cartwright-${expected.stack}`)] },
        { role: "events-relay-access", Sid: "FailedRecords", Action: ["sqs:SendMessage"], Resource: [arn("sqs", `cartwright-${expected.stack}-relay-failed`)] },
      ]);
    });

    it("feeds each consumer every order event (each moves its per-order mark) from a rule on the bus, through a queue with a redrive DLQ, to its function with partial batch failures", () => {
      // Every order event type the domain has: one missing would leave a gap that holds an order's later events.
      const orderEvents = OrderEvent.members.map((m) => m.fields.type.literals[0]);
      for (const [name, detailTypes] of [["email", orderEvents], ["fulfilment", orderEvents]] as const) {
        const rule = named(run, types.rule, `${name}-rule`).inputs;
        expect(rule.eventBusName).toBe(`cartwright-${expected.stack}`);
        expect(JSON.parse(String(rule.eventPattern))).toEqual({ source: ["cartwright.orders"], "detail-type": detailTypes });
        const queueArn = arn("sqs", `cartwright-${expected.stack}-${name}`);
        expect(named(run, types.eventTarget, `${name}-target`).inputs).toMatchObject({ eventBusName: `cartwright-${expected.stack}`, arn: queueArn });
        const queue = named(run, types.queue, `${name}-queue`).inputs;
        expect(queue.visibilityTimeoutSeconds).toBe(180);
        expect(JSON.parse(String(queue.redrivePolicy))).toEqual({ deadLetterTargetArn: arn("sqs", `cartwright-${expected.stack}-${name}-dlq`), maxReceiveCount: expected.receives });
        const policy = JSON.parse(String(named(run, types.queuePolicy, `${name}-queue-policy`).inputs.policy)).Statement;
        expect(policy).toEqual([expect.objectContaining({ Principal: { Service: "events.amazonaws.com" }, Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": arn("events", `rule/${name}-rule`) } } })]);
        expect(named(run, types.mapping, `${name}-queue-mapping`).inputs).toMatchObject({ eventSourceArn: queueArn, functionResponseTypes: ["ReportBatchItemFailures"] });
      }
    });

    it("grants each consumer its table actions only on its own items (dynamodb:LeadingKeys), its own queue, and (email) sending as the stack's SES identity only", () => {
      const identity = named(run, types.identity, "email-identity").inputs.emailIdentity;
      expect(identity).toBe("orders@shop.example.com");
      for (const name of ["email", "fulfilment"]) {
        const bySid = (a: { Sid?: string }, b: { Sid?: string }) => String(a.Sid).localeCompare(String(b.Sid));
        const granted = statements(run).filter((s) => s.role.startsWith(`${name}-`) && !s.role.endsWith("log-writes")).sort(bySid);
        expect(granted).toEqual([
          ...consumerTableItems[name as "email" | "fulfilment"].map((item, i) => ({
            role: `${name}-access`,
            Sid: `OwnItems${i}`,
            Action: [...item.actions],
            Resource: [tableArn()],
            Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...item.leadingKeys] } },
          })),
          { role: `${name}-access`, Sid: "QueueConsume", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], Resource: [arn("sqs", `cartwright-${expected.stack}-${name}`)] },
          ...(name === "fulfilment" && expected.webhooks
            ? [{ role: "fulfilment-access", Sid: "ReadSecretParameters", Action: ["ssm:GetParameter"], Resource: [`arn:aws:ssm:us-east-1:123456789012:parameter/cartwright/${expected.stack}/partner-webhook-secrets`] }]
            : []),
          ...(name === "email" ? [{ role: "email-access", Sid: "EmailSend", Action: ["ses:SendEmail", "ses:SendRawEmail"], Resource: [arn("ses", `identity/${String(identity)}`)] }] : []),
        ].sort(bySid));
      }
    });

    it("configures the consumers through their environment, the webhook secret only as a secret and only with partner URLs", () => {
      expect(env(named(run, types.fn, "email-function"))).toMatchObject({ TABLE_NAME: `cartwright-${expected.stack}`, MAIL_FROM: "orders@shop.example.com" });
      const fulfilment = env(named(run, types.fn, "fulfilment-function"));
      if (expected.webhooks)
        expect(fulfilment).toEqual(expect.objectContaining({ WAREHOUSE_WEBHOOK_URL: expect.stringMatching(/^https:/), DELIVERY_WEBHOOK_URL: expect.stringMatching(/^https:/), WEBHOOK_SECRETS_PARAMETER: `/cartwright/${expected.stack}/partner-webhook-secrets` }));
      else expect(Object.keys(fulfilment).filter((k) => k.includes("WEBHOOK"))).toEqual([]);
      // No secret in any function's configuration: parameters' names only.
      for (const fn of ofType(run, types.fn)) expect(Object.values(env(fn))).not.toContain("[secret]");
      expect(ofType(run, types.queue).map((q) => q.inputs.name).sort()).toEqual(
        ["email", "email-dlq", "fulfilment", "fulfilment-dlq", "relay-failed"].map((q) => `cartwright-${expected.stack}-${q}`),
      );
    });
  });
}

describe("Consumers' item grants", () => {
  const like = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);
  it("cover the partition keys the receipts adapter writes for each consumer, and no other consumer's", async () => {
    const written: string[] = [];
    const dynamo = { update: (_: string, params: { Key: { PK: string } }) => (written.push(params.Key.PK), Effect.void) } as unknown as Dynamo;
    const event = { type: "OrderPaid", orderId: "o-1", eventId: "o-1:2", sequence: 2 } as never;
    for (const consumer of ["email", "fulfilment"] as const) {
      written.length = 0;
      await Effect.runPromise(dynamoReceipts(dynamo).complete(consumer, event).pipe(Effect.ignore));
      expect(written.length).toBe(1);
      const updates = consumerTableItems[consumer].filter((i) => (i.actions as ReadonlyArray<string>).includes("dynamodb:UpdateItem")).flatMap((i) => i.leadingKeys);
      expect(updates.some((p) => like(p, written[0]!)), written[0]).toBe(true);
      const other = consumer === "email" ? "fulfilment" : "email";
      expect(consumerTableItems[other].flatMap((i) => i.leadingKeys).some((p) => like(p, written[0]!))).toBe(false);
    }
  });

  it("let the email consumer read customers' USER# items (the recipient) and write none of them", () => {
    const user = keys.user("u-1").PK;
    expect(consumerTableItems.email.filter((i) => i.leadingKeys.some((p) => like(p, user))).flatMap((i) => i.actions)).toEqual(["dynamodb:GetItem"]);
    expect(consumerTableItems.fulfilment.some((i) => i.leadingKeys.some((p) => like(p, user)))).toBe(false);
  });
});
