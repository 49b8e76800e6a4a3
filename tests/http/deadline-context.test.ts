import { Effect, FiberRef } from "effect";
import { describe, expect, it } from "vitest";
import { currentDeadline, oneRequestAtATime, requestDeadline, underRequestDeadline } from "../../adapters/deadline.js";

const readAfterAwaits = async () => {
  await new Promise((r) => setTimeout(r, 1));
  await Promise.resolve();
  return Effect.runPromise(underRequestDeadline(FiberRef.get(currentDeadline)));
};

describe("requestDeadline.run", () => {
  it("keeps each concurrent request's own deadline across its awaits (per async context, as a local server needs)", async () => {
    const seen = await Promise.all([requestDeadline.run(1_000, readAfterAwaits), requestDeadline.run(2_000, readAfterAwaits)]);
    expect(seen).toEqual([1_000, 2_000]);
  });

  it("on a Lambda instance (one invocation at a time) keeps the invocation's deadline across its awaits, and the next invocation's replaces it", async () => {
    oneRequestAtATime();
    expect(await requestDeadline.run(3_000, readAfterAwaits)).toBe(3_000);
    expect(await requestDeadline.run(4_000, readAfterAwaits)).toBe(4_000);
    expect(requestDeadline.getStore()).toBe(4_000);
  });
});
