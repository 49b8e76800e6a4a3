import { describe, expect, it } from "vitest";
import {
  CartLineExpired,
  CheckoutHoldExpired,
  IdempotencyKeyReused,
  InventoryCountersInvalid,
  InventoryInsufficientStock,
  OrderNotFound,
  OrderTransitionForbidden,
  OrderTransitionNotAllowed,
  PaginationCursorInvalid,
  PersistenceUnavailable,
} from "../../domain/index.js";
import { RequestInvalid } from "../../adapters/http/errors.js";
import { isAppError, toProblem } from "../../adapters/http/problems.js";

describe("problems.toProblem", () => {
  it.each([
    [new InventoryInsufficientStock({ productId: "p", requested: 2, available: 1 }), 409, "insufficient_stock"],
    [new CartLineExpired({ productId: "p", expiredAt: 0 }), 409, "cart_line_expired"],
    [new CheckoutHoldExpired({ productIds: ["p"] }), 409, "checkout_hold_expired"],
    [new IdempotencyKeyReused({ key: "k" }), 409, "idempotency_key_reused"],
    [new OrderNotFound({ orderId: "o" }), 404, "order_not_found"],
    [new OrderTransitionNotAllowed({ orderId: "o", from: "placed", to: "shipped" }), 409, "order_transition_not_allowed"],
    [new OrderTransitionForbidden({ orderId: "o", role: "customer", to: "delivered" }), 403, "order_transition_forbidden"],
    [new PaginationCursorInvalid(), 400, "cursor_invalid"],
    [new PersistenceUnavailable({ operation: "x" }), 503, "store_unavailable"],
    [new InventoryCountersInvalid({ productId: "p", stock: 1, reserved: 2 }), 500, "internal_error"],
  ])("maps %s to its status and stable code", (error, status, code) => {
    const { problem } = toProblem(error);
    expect(problem).toMatchObject({ status, code, type: `urn:cartwright:problem:${code}` });
    expect(problem.title.length).toBeGreaterThan(0);
  });

  it("tells a client when to retry an unavailable store", () => {
    expect(toProblem(new PersistenceUnavailable({ operation: "x" })).headers).toEqual({ "retry-after": "2" });
  });

  it("says 'nothing was changed' only for a store failure that certainly applied nothing; an unknown outcome says it may have been applied and to retry with the same key", () => {
    const certain = toProblem(new PersistenceUnavailable({ operation: "x", outcome: "not_applied" }));
    const unknown = toProblem(new PersistenceUnavailable({ operation: "x", outcome: "unknown" }));
    expect(certain.problem).toMatchObject({ status: 503, code: "store_unavailable", detail: expect.stringContaining("nothing was changed") });
    expect(unknown.problem).toMatchObject({ status: 503, code: "store_outcome_unknown", type: "urn:cartwright:problem:store_outcome_unknown" });
    expect(unknown.problem.detail).not.toContain("nothing was changed");
    expect(unknown.problem.detail).toMatch(/may have been applied.*same Idempotency-Key/);
    expect(unknown.headers).toEqual({ "retry-after": "2" });
  });

  it("answers a move to the status the order already has (a retry of a move that committed) by saying so", () => {
    expect(toProblem(new OrderTransitionNotAllowed({ orderId: "o", from: "paid", to: "paid" })).problem.detail).toBe("Order o is already paid; nothing was changed.");
    expect(toProblem(new OrderTransitionNotAllowed({ orderId: "o", from: "placed", to: "shipped" })).problem.detail).toBe("Order o cannot go from placed to shipped.");
  });

  it("names a request field and the part it came from, with an issue-specific code", () => {
    const { problem } = toProblem(new RequestInvalid({ in: "body", field: "items.0.quantity", issue: "invalid", message: "Expected an integer" }));
    expect(problem).toMatchObject({ status: 400, code: "invalid_field", field: "items.0.quantity", in: "body", detail: "Expected an integer" });
  });

  it("recognizes only tagged errors it maps, never a plain Error carrying a _tag", () => {
    expect(isAppError(new OrderNotFound({ orderId: "o" }))).toBe(true);
    expect(isAppError(Object.assign(new Error("x"), { _tag: "SomethingElse" }))).toBe(false);
    expect(isAppError({ _tag: "OrderNotFound" })).toBe(false);
  });
});
