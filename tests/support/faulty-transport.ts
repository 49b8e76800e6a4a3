/**
 * A DynamoDB client for DynamoDB Local whose HTTP transport can misbehave per request: the request
 * is (or is not) really sent, and its answer is delivered, lost, late or replaced. This is where a
 * network loses answers, so what the adapter sees is what it would see from AWS.
 */
import { Readable } from "node:stream";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { makeLocalClient } from "../../adapters/dynamodb/local.js";

export type Fault =
  | "pass"
  /** Sent and applied; the connection resets before the answer arrives. */
  | "lose"
  /** Sent and applied; the answer never comes (the attempt times out). */
  | "late"
  /** Sent, but lost before the store read it; the connection resets. */
  | "drop"
  /** No connection: nothing is sent. */
  | "refuse"
  /** The store answers 400 ThrottlingException without applying it. */
  | "throttle"
  /** Sent and applied; the store answers 500 InternalServerError. */
  | "error500"
  /** Sent and applied; the 200 answer's body is cut short (unreadable JSON). */
  | "garbled";

/** The DynamoDB operation of a request ("TransactWriteItems") and its attempt number within this test. */
export type FaultPlan = (operation: string, attempt: number) => Fault;

interface HttpRequestLike {
  readonly headers: Record<string, string>;
}
interface Handler {
  handle(request: HttpRequestLike, options?: { abortSignal?: SdkSignal }): Promise<{ response: unknown }>;
}

const networkError = (code: string) => Object.assign(new Error(code === "ECONNREFUSED" ? "connect ECONNREFUSED" : "socket hang up"), { code });

const answer = (statusCode: number, type: string, message: string) => ({
  response: {
    statusCode,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "fault" },
    body: Readable.from([Buffer.from(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }))]),
  },
});

/** The abort signals the SDK's transport takes: an EventTarget one, or its plain kind (the stores' attempts send that). */
type SdkSignal = { readonly aborted: boolean; onabort: ((...args: never[]) => unknown) | null; addEventListener?: AbortSignal["addEventListener"] };

/**
 * An answer that never comes; ended by the attempt's abort, listened to as the SDK's own transport listens. The
 * transport that made the real request listens too (a plain signal has one `onabort`: it is called first), so the
 * abort still closes that request's connection.
 */
const never = (signal: SdkSignal | undefined) =>
  new Promise<never>((_, reject) => {
    const aborted = () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
    if (typeof signal?.addEventListener === "function") signal.addEventListener("abort", aborted, { once: true });
    else if (signal !== undefined) {
      const transport = signal.onabort;
      signal.onabort = () => {
        transport?.();
        aborted();
      };
    }
  });

export interface FaultyClient {
  readonly client: DynamoDBClient;
  /** What happens to the next requests; attempts are counted per operation from the last call. */
  plan(plan: FaultPlan): void;
  attempts(operation: string): number;
}

export const makeFaultyClient = (endpoint: string): FaultyClient => {
  const client = makeLocalClient(endpoint);
  const config = client.config as unknown as { requestHandler: Handler };
  const inner = config.requestHandler;
  let current: FaultPlan = () => "pass";
  const counts = new Map<string, number>();
  config.requestHandler = {
    handle: async (request, options) => {
      const operation = (request.headers["x-amz-target"] ?? "").split(".")[1] ?? "?";
      const n = (counts.get(operation) ?? 0) + 1;
      counts.set(operation, n);
      const fault = current(operation, n);
      if (fault === "refuse") throw networkError("ECONNREFUSED");
      if (fault === "drop") throw networkError("ECONNRESET");
      if (fault === "throttle") return answer(400, "ThrottlingException", "Rate of requests exceeds the allowed throughput.");
      const out = await inner.handle(request, options);
      if (fault === "lose") throw networkError("ECONNRESET");
      if (fault === "late") return never(options?.abortSignal);
      if (fault === "error500") return answer(500, "InternalServerError", "Internal server error");
      if (fault === "garbled") return { response: { ...(out.response as object), body: Readable.from([Buffer.from('{"ConsumedCap')]) } };
      return out;
    },
  };
  return {
    client,
    plan: (plan) => {
      current = plan;
      counts.clear();
    },
    attempts: (operation) => counts.get(operation) ?? 0,
  };
};
