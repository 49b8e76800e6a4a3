import { Either, Option } from "effect";
import { describe, expect, it } from "vitest";
import { CheckoutOps, customerEmail, emailFor, formatMoney, OrderOps, type Currency, type IdempotencyKey, type Money, type OrderEvent, type OrderId, type OrderStatus, type Timestamp } from "../../domain/index.js";
import { customer, eur, line } from "../support/fixtures.js";

const admin = { userId: customer("admin"), role: "admin" as const };
/** The events of an order that goes as far as `path`. */
const history = (path: ReadonlyArray<OrderStatus>): Array<OrderEvent> => {
  const cart = { customerId: customer("c"), lines: [line("tea", { name: "Green <Tea> & Co" as never, quantity: 2 as never, unitPrice: eur(450), expiresAt: 9_000 as never })] };
  const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: "order-1234-5678" as OrderId, now: 100 as Timestamp }));
  const events = [...plan.events] as Array<OrderEvent>;
  let order = plan.order;
  for (const [i, to] of path.entries()) {
    const t = Either.getOrThrow(OrderOps.transition(order, to, admin, (200 + i) as Timestamp));
    events.push(t.events[0] as OrderEvent);
    order = t.order;
  }
  return events;
};

describe("customerEmail", () => {
  it("writes to the customer on placed, paid, shipped, delivered and cancelled, never on packed", () => {
    const [placed, paid, packed, shipped, delivered] = history(["paid", "packed", "shipped", "delivered"]);
    const [, cancelled] = history(["cancelled"]);
    const subjects = [placed, paid, packed, shipped, delivered, cancelled].map((e) => Option.map(customerEmail(e!), (c) => c.subject));
    expect(subjects).toEqual([
      Option.some("Order order-12 confirmed"),
      Option.some("Payment received for order order-12"),
      Option.none(),
      Option.some("Order order-12 is on its way"),
      Option.some("Order order-12 delivered"),
      Option.some("Order order-12 cancelled"),
    ]);
  });

  it("renders one template as text and as HTML, with amounts in the currency's own format and HTML escaped", () => {
    const [placed] = history([]);
    const message = Option.getOrThrow(emailFor(placed!, { email: "sam@example.com", name: "Sam <the buyer>" }));
    expect(message.text).toContain("Hello Sam <the buyer>,");
    expect(message.text).toContain("2 × Green <Tea> & Co  €9.00");
    expect(message.html).toContain("Hello Sam &#60;the buyer&#62;,");
    expect(message.html).toContain("Green &#60;Tea&#62; &#38; Co");
    expect(message.html).not.toContain("<Tea>");
    expect(formatMoney({ amount: 1234, currency: "JPY" as Currency } as Money)).toBe("¥1,234");
  });

  it("tells what went back to stock when an order is cancelled", () => {
    const [, cancelled] = history(["cancelled"]);
    const text = Option.getOrThrow(emailFor(cancelled!, { email: "sam@example.com", name: "Sam" })).text;
    expect(text).toContain("We had to cancel your order");
    expect(text).toContain("2 × Green <Tea> & Co");
  });
});
