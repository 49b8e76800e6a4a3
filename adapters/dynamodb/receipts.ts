/** Consumers' receipts as items of the table: one per consumer and order, changed only by conditional updates. */
import { Effect, Layer } from "effect";
import { type Claim, EventReceipts, type EventReceiptsShape, positionOf, receiptKey } from "../../domain/index.js";
import type { Dynamo } from "./client.js";
import { numberOf, oldItemAt } from "./rejections.js";

// Longer than any redelivery can come: SQS keeps a message 14 days at most, a stream record 24 hours.
const retentionSeconds = 30 * 24 * 3600;

const keyOf = (consumer: string, event: Parameters<EventReceiptsShape["claim"]>[1]) => ({ PK: `RECEIPT#${receiptKey(consumer, event)}`, SK: "RECEIPT" });
const names = { "#done": "done", "#ttl": "ttl" };

/** The mark is right before this event: a first event may find no receipt yet. */
const isNext = (s: number) => (s === 1 ? "(attribute_not_exists(#done) OR #done = :prev)" : "#done = :prev");

/** A refused write that nobody needs to hear about (the state it wanted is already there, or moved on). */
const ignoreRefusal = <A>(effect: Effect.Effect<A, { readonly _tag: string }>) =>
  effect.pipe(
    Effect.asVoid,
    Effect.catchAll((e) => (e._tag === "DynamoRejected" ? Effect.void : e._tag === "DynamoInvalid" ? Effect.die(e) : Effect.fail(e as never))),
  );

export const dynamoReceipts = (dynamo: Dynamo): EventReceiptsShape => ({
  claim: (consumer, event, now, leaseMs) => {
    const s = positionOf(event);
    return dynamo
      .update("EventReceipts.claim", {
        Key: keyOf(consumer, event),
        UpdateExpression: "SET claimSeq = :s, claimUntil = :until, #ttl = :ttl, #done = if_not_exists(#done, :zero)",
        ConditionExpression: `${isNext(s)} AND (attribute_not_exists(claimUntil) OR claimUntil <= :now)`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":s": s, ":prev": s - 1, ":until": now + leaseMs, ":ttl": Math.ceil(now / 1000) + retentionSeconds, ":zero": 0, ":now": now },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      })
      .pipe(
        Effect.as<Claim>({ outcome: "fresh", done: s - 1 }),
        Effect.catchTags({
          DynamoRejected: (rejected) => {
            const done = numberOf(oldItemAt(rejected, 0), "done");
            return Effect.succeed<Claim>({ outcome: s <= done ? "duplicate" : s > done + 1 ? "waiting" : "busy", done });
          },
          DynamoInvalid: Effect.die,
        }),
      );
  },
  complete: (consumer, event) => {
    const s = positionOf(event);
    return ignoreRefusal(
      dynamo.update("EventReceipts.complete", {
        Key: keyOf(consumer, event),
        UpdateExpression: "SET #done = :s REMOVE claimSeq, claimUntil",
        // One step at a time: the mark never skips an event.
        ConditionExpression: isNext(s),
        ExpressionAttributeNames: { "#done": "done" },
        ExpressionAttributeValues: { ":s": s, ":prev": s - 1 },
      }),
    );
  },
  release: (consumer, event) =>
    ignoreRefusal(
      dynamo.update("EventReceipts.release", {
        Key: keyOf(consumer, event),
        UpdateExpression: "REMOVE claimSeq, claimUntil",
        ConditionExpression: "claimSeq = :s",
        ExpressionAttributeValues: { ":s": positionOf(event) },
      }),
    ),
});

export const DynamoReceipts = (dynamo: Dynamo) => Layer.succeed(EventReceipts, dynamoReceipts(dynamo));
