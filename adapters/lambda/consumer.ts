/**
 * What the SQS-triggered consumers share: each message is an EventBridge event whose detail is a
 * DomainEvent; a message that fails (undecodable, or its effect did not happen) is reported as a batch
 * item failure, so only it is redelivered, until the queue's DLQ takes it.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { Effect, type Layer, ManagedRuntime, Schema } from "effect";
import { currentDeadline, lambdaDeadline } from "../deadline.js";
import { DomainEvent } from "../../domain/index.js";
import { log } from "./log.js";

const decodeDetail = Schema.decodeUnknownSync(Schema.Struct({ detail: DomainEvent }));

export const consumerHandler = <R>(name: string, consume: (event: DomainEvent) => Effect.Effect<unknown, unknown, R>, layer: Layer.Layer<R>) => {
  const runtime = ManagedRuntime.make(layer);
  const processor = new BatchProcessor(EventType.SQS);
  let deadline: number | undefined;
  const record = async (message: SQSRecord) => {
    const { detail } = decodeDetail(JSON.parse(message.body));
    // Store calls stop before the invocation would time out: the message fails alone and is redelivered.
    const outcome = await runtime
      .runPromise(deadline === undefined ? consume(detail) : Effect.locally(consume(detail), currentDeadline, deadline))
      .catch((error: unknown) => {
        // Reported (the reportedFailures alarm counts these lines); the message is redelivered, then dead-lettered.
        log("error", "event failed", { consumer: name, eventId: detail.eventId, type: detail.type, cause: error instanceof Error ? error.message : String(error) });
        throw error;
      });
    log("info", "event consumed", { consumer: name, eventId: detail.eventId, type: detail.type, outcome });
  };
  // In order, one at a time: a batch often holds several events of one order, and receipts judge them by sequence.
  return (event: SQSEvent, context: Context) => {
    deadline = typeof context?.getRemainingTimeInMillis === "function" ? lambdaDeadline(context) : undefined;
    return processPartialResponse(event, record, processor, { context, processInParallel: false });
  };
};

