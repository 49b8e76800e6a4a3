import { beforeAll, describe, expect, it } from "vitest";
import { consumerDynamoActions } from "../../adapters/dynamodb/permissions.js";
import { domainEventTypes } from "../../domain/index.js";
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
      const orderEvents = domainEventTypes.filter((t) => t !== "StockLow");
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

    it("grants each consumer its adapters' table actions on the table only, its own queue, and (email) sending as the stack's SES identity only", () => {
      const identity = named(run, types.identity, "email-identity").inputs.emailIdentity;
      expect(identity).toBe("orders@shop.example.com");
      for (const name of ["email", "fulfilment"]) {
        const bySid = (a: { Sid?: string }, b: { Sid?: string }) => String(a.Sid).localeCompare(String(b.Sid));
        const granted = statements(run).filter((s) => s.role.startsWith(`${name}-`) && !s.role.endsWith("log-writes")).sort(bySid);
        expect(granted).toEqual([
          { role: `${name}-table-access`, Sid: "TableAccess", Action: [...consumerDynamoActions], Resource: [tableArn()] },
          { role: `${name}-access`, Sid: "QueueConsume", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], Resource: [arn("sqs", `cartwright-${expected.stack}-${name}`)] },
          ...(name === "email" ? [{ role: "email-access", Sid: "EmailSend", Action: ["ses:SendEmail", "ses:SendRawEmail"], Resource: [arn("ses", `identity/${String(identity)}`)] }] : []),
        ].sort(bySid));
      }
    });

    it("configures the consumers through their environment, the webhook secret only as a secret and only with partner URLs", () => {
      expect(env(named(run, types.fn, "email-function"))).toMatchObject({ TABLE_NAME: `cartwright-${expected.stack}`, MAIL_FROM: "orders@shop.example.com" });
      const fulfilment = env(named(run, types.fn, "fulfilment-function"));
      if (expected.webhooks)
        expect(fulfilment).toMatchObject({ WAREHOUSE_WEBHOOK_URL: expect.stringMatching(/^https:/), DELIVERY_WEBHOOK_URL: expect.stringMatching(/^https:/), WEBHOOK_SECRET: "[secret]" });
      else expect(Object.keys(fulfilment).filter((k) => k.includes("WEBHOOK_URL"))).toEqual([]);
      expect(ofType(run, types.queue).map((q) => q.inputs.name).sort()).toEqual(
        ["email", "email-dlq", "fulfilment", "fulfilment-dlq", "relay-failed"].map((q) => `cartwright-${expected.stack}-${q}`),
      );
    });
  });
}
