/**
 * What the SQS-triggered consumers share: each message is an EventBridge event whose detail is a
 * DomainEvent; a message that fails (undecodable, its effect did not happen, or it waits for an earlier
 * event of its order) is reported as a batch item failure, so only it is redelivered, until the queue's
 * DLQ takes it.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { Effect, Either, Layer, ManagedRuntime, Schema } from "effect";
import { FiberDeadline } from "../consumers/deadline.js";
import { currentDeadline, lambdaDeadline } from "../deadline.js";
import { DomainEvent, isOrderEvent } from "../../domain/index.js";
import { log } from "./log.js";

const decodeDetail = Schema.decodeUnknownSync(Schema.Struct({ detail: DomainEvent }));
const detailOf = (message: SQSRecord) => Either.try(() => decodeDetail(JSON.parse(message.body)).detail);

/** Receipts keep a consumer's place per order; StockLow stands alone. */
const orderKey = (e: DomainEvent) => (!isOrderEvent(e) ? `event:${e.eventId}` : `order:${e.orderId}`);
const sequenceOf = (e: DomainEvent) => (!isOrderEvent(e) ? 0 : e.sequence);

/** The batch with each order's events in sequence, in the places its events held (SQS does not order them). */
export const inSequence = (records: ReadonlyArray<SQSRecord>): Array<SQSRecord> => {
  const byOrder = new Map<string, Array<{ readonly at: number; readonly event: DomainEvent }>>();
  records.forEach((r, at) => {
    const event = detailOf(r);
    if (Either.isRight(event)) byOrder.set(orderKey(event.right), [...(byOrder.get(orderKey(event.right)) ?? []), { at, event: event.right }]);
  });
  const sorted = [...records];
  for (const entries of byOrder.values()) {
    const places = entries.map((e) => e.at);
    [...entries].sort((a, b) => sequenceOf(a.event) - sequenceOf(b.event)).forEach((e, i) => (sorted[places[i]!] = records[e.at]!));
  }
  return sorted;
};

/** Why a delivery did not go through, logged at the level an operator needs: waiting is normal, a failure is not. */
const report = (consumer: string, detail: DomainEvent, error: unknown) => {
  const e = error as { _tag?: string; expected?: number; message?: string };
  const fields = { consumer, eventId: detail.eventId, type: detail.type, orderId: !isOrderEvent(detail) ? undefined : detail.orderId, sequence: sequenceOf(detail) };
  if (e?._tag === "NotificationOutOfOrder") return log("warn", "event waits for an earlier event of its order", { ...fields, expected: e.expected });
  if (e?._tag === "NotificationBusy") return log("warn", "event busy: another delivery holds its order", fields);
  if (e?._tag === "NotificationOutOfTime") return log("warn", "event deferred: too little of the invocation left", fields);
  // Reported (the reportedFailures alarm counts these lines); the message is redelivered, then dead-lettered.
  log("error", "event failed", { ...fields, cause: e?._tag ?? (error instanceof Error ? error.message : String(error)) });
};

export const consumerHandler = <R>(name: string, consume: (event: DomainEvent) => Effect.Effect<unknown, unknown, R>, layer: Layer.Layer<R>) => {
  const runtime = ManagedRuntime.make(Layer.merge(layer, FiberDeadline));
  const processor = new BatchProcessor(EventType.SQS);
  let deadline: number | undefined;
  /** Orders with an event that did not go through in this batch: their later events wait, without running. */
  let held = new Set<string>();
  const record = async (message: SQSRecord) => {
    const { detail } = decodeDetail(JSON.parse(message.body));
    const order = orderKey(detail);
    if (held.has(order)) {
      log("warn", "event held behind an earlier event of its order that did not go through", { consumer: name, eventId: detail.eventId, type: detail.type, sequence: sequenceOf(detail) });
      throw new Error(`held: an earlier event of ${order} did not go through`);
    }
    // Store calls and effects stop before the invocation would time out: the message fails alone and is redelivered.
    const run = deadline === undefined ? consume(detail) : Effect.locally(consume(detail), currentDeadline, deadline);
    const outcome = await runtime.runPromise(Effect.either(run)).catch((defect: unknown) => Either.left(defect));
    if (Either.isLeft(outcome)) {
      held.add(order);
      report(name, detail, outcome.left);
      throw outcome.left instanceof Error ? outcome.left : new Error(String(outcome.left));
    }
    log("info", "event consumed", { consumer: name, eventId: detail.eventId, type: detail.type, outcome: outcome.right });
  };
  // In order, one at a time, each order's events in sequence: receipts take an order's events one after the other.
  // A batch that only waits is answered, not thrown: waiting is not a function error.
  return (event: SQSEvent, context: Context) => {
    deadline = typeof context?.getRemainingTimeInMillis === "function" ? lambdaDeadline(context) : undefined;
    held = new Set();
    return processPartialResponse({ ...event, Records: inSequence(event.Records) }, record, processor, { context, processInParallel: false, throwOnFullBatchFailure: false });
  };
};
