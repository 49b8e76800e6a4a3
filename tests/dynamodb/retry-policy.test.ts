import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { backoffMs, isTransient } from "../../adapters/dynamodb/retry.js";

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
