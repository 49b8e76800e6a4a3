import { Effect, Layer } from "effect";
import { EventLog, type EventLogShape } from "../../domain/index.js";
import type { Dynamo } from "./client.js";
import { eventFrom } from "./items.js";
import { Partitions } from "./keys.js";
import { type IndexQuery, queryPage } from "./paging.js";

const queryOf = (query: Parameters<EventLogShape["list"]>[0]): IndexQuery =>
  query.orderId !== undefined
    ? { operation: "EventLog.list", index: "GSI1", identity: `events:order:${query.orderId}`, partitions: [Partitions.orderEvents(query.orderId)], descending: true }
    : query.type !== undefined
      ? { operation: "EventLog.list", index: "GSI2", identity: `events:type:${query.type}`, partitions: Partitions.eventsOfType(query.type), descending: true }
      : { operation: "EventLog.list", index: "GSI3", identity: "events:all", partitions: Partitions.events(), descending: true };

export const dynamoEventLog = (dynamo: Dynamo): EventLogShape => ({
  list: (query) => queryPage(dynamo, queryOf(query), query).pipe(Effect.map((page) => ({ ...page, items: page.items.map(eventFrom) }))),
});

export const DynamoEventLog = (dynamo: Dynamo) => Layer.succeed(EventLog, dynamoEventLog(dynamo));
