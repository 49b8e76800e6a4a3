import { Effect, Layer, Option } from "effect";
import {
  IdempotencyStore,
  type IdempotencyStoreShape,
  OrderStore,
  type OrderStoreShape,
  PaymentEventLog,
  type PaymentEventLogShape,
  type PaymentEventRecord,
} from "../../domain/index.js";
import { commitCheckout, paymentEventPut, transition } from "./checkout.js";
import type { Dynamo } from "./client.js";
import { orderFrom, recordFrom } from "./items.js";
import { Keys, Partitions, pad } from "./keys.js";
import { queryPage } from "./paging.js";
import { unavailableOnly } from "./rejections.js";
import { recordPut } from "./guards.js";

export const dynamoOrderStore = (dynamo: Dynamo): OrderStoreShape => ({
  commitCheckout: (plan) => commitCheckout(dynamo, plan),

  get: (id) =>
    unavailableOnly(dynamo.get("OrderStore.get", { Key: Keys.order(id), ConsistentRead: true })).pipe(
      Effect.map((item) => Option.map(Option.fromNullable(item), orderFrom)),
    ),

  listByCustomer: (customerId, page) =>
    queryPage(
      dynamo,
      {
        operation: "OrderStore.listByCustomer",
        index: "GSI1",
        identity: `orders:customer:${customerId}`,
        partitions: [Partitions.customerOrders(customerId)],
        descending: true,
      },
      page,
    ).pipe(Effect.map((p) => ({ ...p, items: p.items.map(orderFrom) }))),

  listByStatus: (status, page) =>
    queryPage(
      dynamo,
      { operation: "OrderStore.listByStatus", index: "GSI2", identity: `orders:status:${status}`, partitions: Partitions.status(status), descending: true },
      page,
    ).pipe(Effect.map((p) => ({ ...p, items: p.items.map(orderFrom) }))),

  transition: (t) => transition(dynamo, t),

  listRefundsDue: (limit) =>
    queryPage(dynamo, { operation: "OrderStore.listRefundsDue", index: "GSI3", identity: "orders:refunds-due", partitions: Partitions.refundsDue() }, { limit }).pipe(
      Effect.map((p) => p.items.map(orderFrom)),
      Effect.catchTag("PaginationCursorInvalid", Effect.die),
    ),

  listPlacedBefore: (before, limit) =>
    queryPage(
      dynamo,
      { operation: "OrderStore.listPlacedBefore", index: "GSI2", identity: "orders:placed-before", partitions: Partitions.status("placed"), sortKeyBelow: pad(before) },
      { limit },
    ).pipe(
      Effect.map((p) => p.items.map(orderFrom)),
      // No cursor is given, so none can be refused.
      Effect.catchTag("PaginationCursorInvalid", Effect.die),
    ),
});

export const dynamoPaymentEventLog = (dynamo: Dynamo): PaymentEventLogShape => ({
  find: (provider, eventId) =>
    unavailableOnly(dynamo.get("PaymentEventLog.find", { Key: Keys.paymentEvent(provider, eventId), ConsistentRead: true })).pipe(
      Effect.map((item) => Option.map(Option.fromNullable(item), paymentEventFrom)),
    ),
  record: (record) =>
    dynamo.transact("PaymentEventLog.record", [paymentEventPut(dynamo, record)]).pipe(
      Effect.as(true),
      Effect.catchTags({ DynamoRejected: () => Effect.succeed(false), DynamoInvalid: Effect.die }),
    ),
});

const paymentEventFrom = (item: Record<string, unknown>): PaymentEventRecord => {
  const { PK: _pk, SK: _sk, ttl: _ttl, ...record } = item;
  return record as unknown as PaymentEventRecord;
};

export const DynamoPaymentEventLog = (dynamo: Dynamo) => Layer.succeed(PaymentEventLog, dynamoPaymentEventLog(dynamo));

export const dynamoIdempotencyStore = (dynamo: Dynamo): IdempotencyStoreShape => ({
  find: (callerId, key) =>
    unavailableOnly(dynamo.get("IdempotencyStore.find", { Key: Keys.idempotency(callerId, key), ConsistentRead: true })).pipe(
      Effect.map((item) => Option.map(Option.fromNullable(item), recordFrom)),
    ),
  // A key that already has a record keeps it: the refusal is the answer, not a failure.
  bind: (record) => dynamo.transact("IdempotencyStore.bind", [recordPut(dynamo, record)]).pipe(
      Effect.catchTags({ DynamoRejected: () => Effect.void, DynamoInvalid: Effect.die }),
    ),
});

export const DynamoOrderStore = (dynamo: Dynamo) => Layer.succeed(OrderStore, dynamoOrderStore(dynamo));
export const DynamoIdempotencyStore = (dynamo: Dynamo) => Layer.succeed(IdempotencyStore, dynamoIdempotencyStore(dynamo));
