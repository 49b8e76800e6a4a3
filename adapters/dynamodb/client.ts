/**
 * Every request the stores make goes through here: one SDK attempt per try (the SDK's own
 * retry is switched off per command, its middleware chain resolved once per command class:
 * attempt.ts), our bounded jittered retry on transient failures, capacity recording, and one
 * classification of what failed. The stores speak in documents; they are marshalled here.
 */
import { randomUUID } from "node:crypto";
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type {
  GetCommandInput,
  QueryCommandInput,
  QueryCommandOutput,
  TransactWriteCommandInput,
  UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { marshall, type marshallOptions, unmarshall, type unmarshallOptions } from "@aws-sdk/util-dynamodb";
import { Data, Effect, FiberRef } from "effect";
import { currentDeadline } from "../deadline.js";
import { PersistenceUnavailable } from "../../domain/index.js";
import type { CapacityRecorder } from "./capacity.js";
import { attemptSender, attemptSignal, type AttemptSignal, nameOf } from "./attempt.js";
import { attemptOutcome, backoffMs, defaultRetryPolicy, isNetworkError, isTransient, type RetryPolicy } from "./retry.js";

/** A condition refused the write; `reasons` are index-aligned with a transaction's items. */
export class Rejected extends Data.TaggedError("DynamoRejected")<{
  readonly reasons: ReadonlyArray<{ readonly code: string; readonly item?: Record<string, AttributeValue> | undefined }>;
}> {}

/** DynamoDB refused the request itself (ValidationException): a bug, or a forged cursor. */
export class Invalid extends Data.TaggedError("DynamoInvalid")<{ readonly message: string }> {}

export type Failure = Rejected | Invalid | PersistenceUnavailable;
type Outcome = PersistenceUnavailable["outcome"];

export interface DynamoOptions {
  /** The stores never destroy it. Their documents are marshalled here (not through a DocumentClient, nor its translateConfig). */
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly retry?: Partial<RetryPolicy> | undefined;
  readonly metrics?: CapacityRecorder | undefined;
}

type TransactItems = NonNullable<TransactWriteCommandInput["TransactItems"]>;
type Keyless<I> = Omit<I, "TableName">;

export interface Dynamo {
  readonly tableName: string;
  readonly get: (operation: string, input: Keyless<GetCommandInput>) => Effect.Effect<Record<string, unknown> | undefined, Failure>;
  readonly query: (operation: string, input: Keyless<QueryCommandInput>) => Effect.Effect<QueryCommandOutput, Failure>;
  /** One attempt more only while none may have committed: a retry could apply an ADD twice. */
  readonly update: (operation: string, input: Keyless<UpdateCommandInput>) => Effect.Effect<Record<string, unknown> | undefined, Failure>;
  /** All items or none; retried with one ClientRequestToken, so a retry after a lost reply cannot apply twice. */
  readonly transact: (operation: string, items: TransactItems) => Effect.Effect<void, Failure>;
}

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: object;
  readonly Item?: Record<string, AttributeValue>;
  readonly CancellationReasons?: ReadonlyArray<{ readonly Code?: string; readonly Item?: Record<string, AttributeValue> }>;
}

// A refusal is trusted even after an unanswered attempt: only a transaction is retried then, and under its
// one ClientRequestToken DynamoDB answers success, not a refusal, if that attempt had committed.
const classify = (error: unknown, operation: string, outcome: Outcome): Effect.Effect<never, Failure> => {
  const e = error as SdkError;
  switch (e.name) {
    case "TransactionCanceledException":
      return Effect.fail(new Rejected({ reasons: (e.CancellationReasons ?? []).map((r) => ({ code: r.Code ?? "None", item: r.Item })) }));
    case "ConditionalCheckFailedException":
      return Effect.fail(new Rejected({ reasons: [{ code: "ConditionalCheckFailed", item: e.Item }] }));
    case "ValidationException":
      return Effect.fail(new Invalid({ message: e.message ?? "" }));
  }
  // No HTTP answer and no network failure: the SDK threw before sending (a bug in what we built).
  if (e.$metadata === undefined && !isNetworkError(error)) return Effect.die(error);
  return Effect.fail(new PersistenceUnavailable({ operation, outcome, reason: nameOf(error) }));
};

/** An attempt with less time than this left is not started. */
const minAttemptMs = 25;

type Attributes = Record<string, unknown>;
type Marshalled = Record<string, AttributeValue>;

/**
 * Document values to and from DynamoDB's attribute values, by the DocumentClient's default rules: each top-level
 * value marshalled alone (nested containers as maps and lists), an undefined or function value left out; each
 * top-level attribute unmarshalled alone, numbers as JS numbers (one past the safe range fails, as there).
 */
const toOptions: marshallOptions = { convertTopLevelContainer: true };
const fromOptions: unmarshallOptions = { convertWithoutMapWrapper: true };
const to = (values: Attributes): Marshalled => {
  const out: Marshalled = {};
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (value !== undefined && typeof value !== "function") out[key] = marshall(value, toOptions) as AttributeValue;
  }
  return out;
};
const from = (item: Marshalled): Attributes => {
  const out: Attributes = {};
  for (const key of Object.keys(item)) out[key] = unmarshall(item[key] as never, fromOptions);
  return out;
};

export const makeDynamo = (options: DynamoOptions): Dynamo => {
  const send = attemptSender(options.client);
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const { tableName, metrics } = options;

  // Capacity is asked for only when someone records it: the answer is smaller and cheaper to read otherwise.
  const capacity = metrics === undefined ? {} : ({ ReturnConsumedCapacity: "INDEXES" } as const);

  /**
   * `update` is not retried once an attempt may have committed (a retry could apply an ADD twice, or be
   * refused by its own first attempt); `transact` is, under one ClientRequestToken. Once any attempt may
   * have committed, the call ends in success, a refusal (a transaction's, see classify), or
   * PersistenceUnavailable with outcome "unknown".
   */
  const run = <O extends { ConsumedCapacity?: unknown }>(operation: string, kind: "read" | "update" | "transact", send: (signal: AttemptSignal, onSent: () => void) => Promise<O>) => {
    // Attempts and backoff stay inside the request's deadline (adapters/deadline.ts), if it has one.
    const unavailable = (reason: string, outcome: Outcome) => Effect.fail(new PersistenceUnavailable({ operation, reason, outcome }));
    const attempt = (n: number, deadline: number | undefined, before: Outcome): Effect.Effect<O, Failure> => {
      const left = deadline === undefined ? Infinity : deadline - Date.now();
      if (left < minAttemptMs) return unavailable(`the request's deadline was reached before attempt ${n}`, before);
      let sent = false;
      // One controller and one timer per attempt, both let go when it settles: the SDK aborts an attempt with no answer
      // in time, and an interrupted attempt is aborted too (a transaction retried after either keeps its token).
      // Settled by whichever comes first, so whatever hangs (a socket, a credential fetch) is abandoned on time.
      // (Effect.tryPromise's own AbortController, AbortSignal.timeout, whose timer outlives a warm request, and
      // AbortSignal.any cost more per attempt than the store call's own middleware; the signal is the SDK's plain kind.)
      return Effect.async<O, unknown>((resume) => {
        const controller = attemptSignal();
        let settled = false;
        const settle = (outcome: Effect.Effect<O, unknown>) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resume(outcome);
        };
        const timer = setTimeout(() => {
          controller.abort();
          settle(Effect.fail({ name: "TimeoutError" }));
        }, Math.min(policy.attemptTimeoutMs, left));
        let answer: Promise<O>;
        try {
          answer = send(controller.signal, () => (sent = true));
        } catch (error) {
          answer = Promise.reject(error);
        }
        answer.then(
          (out) => settle(Effect.succeed(out)),
          (error: unknown) => settle(Effect.fail(error)),
        );
        return Effect.sync(() => {
          settled = true;
          clearTimeout(timer);
          controller.abort();
        });
      }).pipe(
        Effect.catchAll((error) => {
          const outcome: Outcome = before === "unknown" || (kind !== "read" && attemptOutcome(error, sent) === "unknown") ? "unknown" : "not_applied";
          if (!isTransient(error)) return classify(error, operation, outcome);
          const last = `${nameOf(error)} on attempt ${n}`;
          if (n >= policy.attempts) return unavailable(`${policy.attempts} attempts failed; last: ${last}`, outcome);
          if (kind === "update" && outcome === "unknown") return unavailable(`not retried after an attempt with no answer: ${last}`, outcome);
          const delay = backoffMs(policy, n);
          if (deadline !== undefined && Date.now() + delay + minAttemptMs > deadline) return unavailable(`the request's deadline leaves no time to retry; last: ${last}`, outcome);
          return Effect.sleep(delay).pipe(Effect.zipRight(attempt(n + 1, deadline, outcome)));
        }),
      );
    };
    return FiberRef.get(currentDeadline).pipe(
      Effect.flatMap((deadline) => attempt(1, deadline, "not_applied")),
      Effect.tap((out) => metrics?.record(operation, kind === "read" ? "read" : "write", out.ConsumedCapacity as never)),
    );
  };

  // Each attempt sends a new command (its own input object: attempts are told apart by it, adapters/dynamodb/attempt.ts).
  return {
    tableName,
    get: (operation, input) =>
      run(operation, "read", (signal, onSent) =>
        send<{ Item?: Marshalled; ConsumedCapacity?: unknown }>(
          new GetItemCommand({ ...input, Key: to(input.Key ?? {}), TableName: tableName, ...capacity }),
          { signal, onSent },
        ),
      ).pipe(Effect.map((out) => (out.Item === undefined ? undefined : from(out.Item)))),
    query: (operation, input) =>
      run(operation, "read", (signal, onSent) => {
        const { ExpressionAttributeValues, ExclusiveStartKey, ...rest } = input;
        return send<QueryOutput>(
          new QueryCommand({
            ...(rest as Omit<typeof rest, "KeyConditions" | "QueryFilter">),
            ...(ExpressionAttributeValues === undefined ? {} : { ExpressionAttributeValues: to(ExpressionAttributeValues) }),
            ...(ExclusiveStartKey === undefined ? {} : { ExclusiveStartKey: to(ExclusiveStartKey) }),
            TableName: tableName,
            ...capacity,
          }),
          { signal, onSent },
        );
      }).pipe(
        Effect.map(({ Items, LastEvaluatedKey, ...out }) => ({
          ...out,
          ...(Items === undefined ? {} : { Items: Items.map(from) }),
          ...(LastEvaluatedKey === undefined ? {} : { LastEvaluatedKey: from(LastEvaluatedKey) }),
        })),
      ),
    update: (operation, input) =>
      run(operation, "update", (signal, onSent) => {
        const { Key, ExpressionAttributeValues, ...rest } = input;
        return send<{ Attributes?: Marshalled; ConsumedCapacity?: unknown }>(
          new UpdateItemCommand({
            ...(rest as Omit<typeof rest, "AttributeUpdates" | "Expected">),
            Key: to(Key ?? {}),
            ...(ExpressionAttributeValues === undefined ? {} : { ExpressionAttributeValues: to(ExpressionAttributeValues) }),
            TableName: tableName,
            ...capacity,
          }),
          { signal, onSent },
        );
      }).pipe(Effect.map((out) => (out.Attributes === undefined ? undefined : from(out.Attributes)))),
    transact: (operation, items) =>
      Effect.suspend(() => {
        const token = randomUUID();
        const TransactItems = items.map(transactItem);
        return run(operation, "transact", (signal, onSent) =>
          send<{ ConsumedCapacity?: unknown }>(new TransactWriteItemsCommand({ TransactItems, ClientRequestToken: token, ...capacity }), { signal, onSent }),
        );
      }).pipe(Effect.asVoid),
  };
};

type QueryOutput = Omit<QueryCommandOutput, "Items" | "LastEvaluatedKey"> & { Items?: Marshalled[]; LastEvaluatedKey?: Marshalled };

/** One item of a transaction, its keys, item and values marshalled (the DocumentClient's keyNodes for TransactWriteItems). */
const transactItem = (item: TransactItems[number]): TransactWriteItem => {
  const values = (part: { ExpressionAttributeValues?: Attributes | undefined }) =>
    part.ExpressionAttributeValues === undefined ? {} : { ExpressionAttributeValues: to(part.ExpressionAttributeValues) };
  return {
    ...(item.Put === undefined ? {} : { Put: { ...item.Put, Item: to(item.Put.Item ?? {}), ...values(item.Put) } }),
    ...(item.Update === undefined ? {} : { Update: { ...item.Update, Key: to(item.Update.Key ?? {}), ...values(item.Update) } }),
    ...(item.Delete === undefined ? {} : { Delete: { ...item.Delete, Key: to(item.Delete.Key ?? {}), ...values(item.Delete) } }),
    ...(item.ConditionCheck === undefined ? {} : { ConditionCheck: { ...item.ConditionCheck, Key: to(item.ConditionCheck.Key ?? {}), ...values(item.ConditionCheck) } }),
  } as TransactWriteItem;
};
