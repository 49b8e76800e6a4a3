/** Issue 19: names are plain single-line text, so the text part of a genuine mail cannot carry an attacker's paragraph. */
import { Either, Option, Schema } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CheckoutOps, emailFor, toPlainLine, type IdempotencyKey, type OrderEvent, type OrderId, PersonName, ProductName, type Timestamp } from "../../domain/index.js";
import { customer, eur, line } from "../support/fixtures.js";

const placedWith = (productName: string): OrderEvent => {
  const cart = { customerId: customer("c"), lines: [line("tea", { name: productName as never, unitPrice: eur(450), expiresAt: 9_000 as never })] };
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: "order-1234-5678" as OrderId, now: 100 as Timestamp }));
  return plan.events[0] as OrderEvent;
};
const textOf = (name: string, productName = "Tea") => Option.getOrThrow(emailFor(placedWith(productName), { email: "sam@example.com", name })).text;

// Any code unit, with the separators and controls an attacker would reach for drawn often.
const anyText = fc.string({ unit: fc.oneof(fc.constantFrom("\n", "\r", "\u2028", "\u2029", "\u0085", "\u000b", "\u202e", "\t", " "), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 120 });

describe("PersonName and ProductName", () => {
  it("refuse the issue's name: line breaks that would add a paragraph to the order mail", () => {
    const attack = "Eve\nBcc: victim@example.com\n\nYour card was declined. Pay at https://evil.example";
    expect(Schema.is(PersonName)(attack)).toBe(false);
    expect(Schema.is(ProductName)(attack)).toBe(false);
  });

  it("let through only text that keeps the plain-text mail's lines as they are (invariant: the name stays inside its line)", () => {
    const lines = textOf("Sam", "Tea").split("\n").length;
    fc.assert(
      fc.property(anyText, anyText, (name, productName) => {
        const [personOk, productOk] = [Schema.is(PersonName)(name), Schema.is(ProductName)(productName)];
        if (!personOk || !productOk) return;
        const text = textOf(name, productName);
        expect(text.split(/\r\n|[\n\r\u2028\u2029\u0085\u000b\u000c]/)).toHaveLength(lines);
        expect(text.split("\n")[0]).toBe(`Hello ${name},`);
      }),
      { numRuns: 2000 },
    );
  });

  it("accept names in any script, with inner spaces and punctuation", () => {
    for (const name of ["Ève O'Brien-Łukasz", "李小龍", "محمد‌رضا", "Zoë 👩‍💻"]) expect(Schema.is(PersonName)(name), name).toBe(true);
  });

  it("toPlainLine turns any stored text into a valid name (how users stored before the rule still load)", () => {
    fc.assert(fc.property(anyText, (text) => {
      expect(Schema.is(PersonName)(toPlainLine(text, 100, "Customer")), JSON.stringify(text)).toBe(true);
    }), { numRuns: 2000 });
  });
});
