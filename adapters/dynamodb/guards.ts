/** Transaction items that guard a change: a hold's identity, the cart's line counter, an idempotency record. */
import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import { type DomainEvent, type HoldRef, type IdempotencyRecord, maxCartLines } from "../../domain/index.js";
import type { Dynamo } from "./client.js";
import { eventItem, idempotencyItem } from "./items.js";
import { Keys } from "./keys.js";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** The line is still the hold read: its id and its version (a version alone repeats when a line is added again). */
export const isHold = (ref: HoldRef) => ({
  ConditionExpression: "holdId = :h AND version = :v",
  ExpressionAttributeValues: { ":h": ref.holdId, ":v": ref.version },
});

/**
 * The cart item's `lineCount` follows every line created or deleted, in the same transaction. A change
 * that adds lines is allowed only while the cart stays within maxCartLines and in the currency of the
 * lines it holds (any currency once it is empty). Conditions cannot add, so the room is computed here.
 */
export const cartCounter = (dynamo: Dynamo, customerId: string, net: number, added?: { readonly currency: string }): TransactItem => ({
  Update: {
    TableName: dynamo.tableName,
    Key: Keys.cartHeader(customerId),
    ...(added === undefined
      ? { UpdateExpression: "ADD lineCount :n", ExpressionAttributeValues: { ":n": net } }
      : {
          UpdateExpression: "SET currency = :c ADD lineCount :n",
          ConditionExpression: `(attribute_not_exists(lineCount) OR lineCount <= :room) AND (attribute_not_exists(currency) OR currency = :c OR lineCount = :zero)`,
          ExpressionAttributeValues: { ":n": net, ":c": added.currency, ":room": maxCartLines - Math.max(net, 0), ":zero": 0 },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
  },
});

/** Outbox items go last in a transaction, after the items whose refusals mean something: an id taken twice is a bug. */
export const outboxPuts = (dynamo: Dynamo, events: ReadonlyArray<DomainEvent> | undefined): Array<TransactItem> =>
  (events ?? []).map((e) => ({ Put: { TableName: dynamo.tableName, Item: eventItem(e), ConditionExpression: "attribute_not_exists(PK)" } }));

/**
 * A new idempotency record; `rebind` also lets a checkout replace the binding a refused checkout of
 * the same cart left (no order yet, same fingerprint).
 */
export const recordPut = (dynamo: Dynamo, record: IdempotencyRecord, rebind = false): TransactItem => ({
  Put: {
    TableName: dynamo.tableName,
    Item: idempotencyItem(record),
    ...(rebind
      ? {
          ConditionExpression: "attribute_not_exists(PK) OR (attribute_not_exists(orderId) AND fingerprint = :fp)",
          ExpressionAttributeValues: { ":fp": record.fingerprint },
        }
      : { ConditionExpression: "attribute_not_exists(PK)" }),
  },
});
