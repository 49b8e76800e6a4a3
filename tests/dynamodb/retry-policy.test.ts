import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { attemptOutcome, backoffMs, isTransient } from "../../adapters/dynamodb/retry.js";

const conflict = new TransactionCanceledException({
  message: "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]",
  $metadata: { httpStatusCode: 400 },
  CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }],
});

describe("backoffMs", () => {
  const policy = { attempts: 8, baseDelayMs: 25, maxDelayMs: 500 };

  it("doubles the ceiling with each retry up to the cap, and draws uniformly below it (full jitter)", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(policy, n, () => 1))).toEqual([25, 50, 100, 200, 400, 500, 500]);
    expect(backoffMs(policy, 3, () => 0.5)).toBe(50);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
  });
});

describe("isTransient", () => {
  it("retries throttling, server errors, conflicts and network failures, never a refused condition or a bad request", () => {
    const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 }, ...extra });
    expect(isTransient(named("ProvisionedThroughputExceededException"))).toBe(true);
    expect(isTransient(named("ThrottlingException"))).toBe(true);
    expect(isTransient(named("RequestLimitExceeded"))).toBe(true);
    expect(isTransient(named("InternalServerError", { $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isTransient(named("TransactionInProgressException"))).toBe(true);
    expect(isTransient(conflict)).toBe(true);
    expect(isTransient(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true);
    const refused = named("TransactionCanceledException", { CancellationReasons: [{ Code: "None" }, { Code: "ConditionalCheckFailed" }] });
    expect(isTransient(refused)).toBe(false);
    expect(isTransient(named("ConditionalCheckFailedException"))).toBe(false);
    expect(isTransient(named("ValidationException"))).toBe(false);
    expect(isTransient(named("ResourceNotFoundException"))).toBe(false);
  });
});

describe("attemptOutcome", () => {
  const answered = (status: number) => Object.assign(new Error("x"), { name: "X", $metadata: { httpStatusCode: status } });
  const network = (code: string) => Object.assign(new Error(code), { code });

  it("calls a write not applied only when nothing was sent, no connection was made, or the store answered 4xx (refused)", () => {
    expect(attemptOutcome({ name: "TimeoutError" }, false)).toBe("not_applied");
    expect(attemptOutcome(network("ECONNRESET"), false)).toBe("not_applied");
    expect(attemptOutcome(network("ECONNREFUSED"), true)).toBe("not_applied");
    expect(attemptOutcome(Object.assign(new Error("wrapped"), { cause: network("ECONNREFUSED") }), true)).toBe("not_applied");
    expect(attemptOutcome(answered(400), true)).toBe("not_applied");
    expect(attemptOutcome(conflict, true)).toBe("not_applied");
  });

  it("calls a sent write unknown after a timeout, a reset, a 5xx, or a 2xx it could not read (it may have committed)", () => {
    expect(attemptOutcome({ name: "TimeoutError" }, true)).toBe("unknown");
    expect(attemptOutcome(network("ECONNRESET"), true)).toBe("unknown");
    expect(attemptOutcome(network("EPIPE"), true)).toBe("unknown");
    expect(attemptOutcome(network("EHOSTUNREACH"), true)).toBe("unknown");
    expect(attemptOutcome(answered(500), true)).toBe("unknown");
    expect(attemptOutcome(answered(200), true)).toBe("unknown");
  });
});
