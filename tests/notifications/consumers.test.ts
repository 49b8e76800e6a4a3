import { Effect, Either, Layer, ManagedRuntime } from "effect";
import { describe, expect, it } from "vitest";
import {
  CheckoutOps,
  type DomainEvent,
  emailCustomer,
  type EmailMessage,
  Mailer,
  MailUndelivered,
  NotificationFailed,
  notifyPartners,
  OrderOps,
  type OrderStatus,
  type Partner,
  PartnerWebhooks,
  UserStore,
  type IdempotencyKey,
  type OrderId,
  type Timestamp,
  type UserId,
} from "../../domain/index.js";
import { makeManualClock, memoryStores } from "../../adapters/memory/layer.js";
import { customer, line, uniqueId } from "../support/fixtures.js";

/** Memory stores with one customer, a recording mailer and partner webhooks that fail while `down` says so. */
const harness = async () => {
  const sent: Array<EmailMessage> = [];
  const calls: Array<[Partner, string]> = [];
  const down = { mail: 0, partner: 0 };
  const fakes = Layer.mergeAll(
    Layer.succeed(Mailer, { send: (m) => (down.mail-- > 0 ? Effect.fail(new MailUndelivered({ reason: "SES throttled" })) : Effect.sync(() => void sent.push(m))) }),
    Layer.succeed(PartnerWebhooks, {
      notify: (partner, e) =>
        down.partner-- > 0 ? Effect.fail(new NotificationFailed({ consumer: "fulfilment", eventId: e.eventId, reason: "partner answered 500" })) : Effect.sync(() => void calls.push([partner, e.type])),
    }),
  );
  const clock = makeManualClock();
  const runtime = ManagedRuntime.make(Layer.mergeAll(memoryStores(), fakes, clock.layer));
  const customerId = uniqueId("c") as UserId;
  await runtime.runPromise(Effect.flatMap(UserStore, (u) => u.create({ id: customerId, email: "sam@example.com" as never, name: "Sam", role: "customer", passwordHash: "x", createdAt: 0 as Timestamp })));
  const run = <A, E>(effect: Effect.Effect<A, E, ManagedRuntime.ManagedRuntime.Context<typeof runtime>>) => runtime.runPromise(Effect.either(effect));
  const email = (e: DomainEvent) => run(emailCustomer(e));
  const fulfilment = (e: DomainEvent) => run(notifyPartners(e));
  /** Each consumer gets the event from its own queue. */
  const consume = async (e: DomainEvent) => [await email(e), await fulfilment(e)];
  /** The events of an order of this customer that goes as far as `path`. */
  const order = (path: ReadonlyArray<OrderStatus>): Array<DomainEvent> => {
    const cart = { customerId, lines: [line("tea", { expiresAt: 9_000 as never })] };
    const plan = Either.getOrThrow(CheckoutOps.plan({ cart, key: "key-00000001" as IdempotencyKey, orderId: uniqueId("o") as OrderId, now: 100 as Timestamp }));
    const events: Array<DomainEvent> = [...plan.events];
    let current = plan.order;
    for (const to of path) {
      const t = Either.getOrThrow(OrderOps.transition(current, to, { userId: customer("admin"), role: "admin" }, 200 as Timestamp));
      events.push(t.events[0]!);
      current = t.order;
    }
    return events;
  };
  return { sent, calls, down, clock, consume, email, fulfilment, order };
};

describe("emailCustomer and notifyPartners", () => {
  it("send one email and one webhook call for an event delivered three times (invariant: effect exactly once)", async () => {
    const h = await harness();
    const [, paid] = h.order(["paid"]);
    for (let i = 0; i < 3; i++) expect((await h.consume(paid!)).every(Either.isRight)).toBe(true);
    expect(h.sent.map((m) => m.subject)).toEqual([expect.stringContaining("Payment received")]);
    expect(h.calls).toEqual([["warehouse", "OrderPaid"]]);
  });

  it("do nothing with an event that arrives after the order moved past it: no paid email, no picking, after a cancellation", async () => {
    const h = await harness();
    const [placed, paid, cancelled] = h.order(["paid", "cancelled"]);
    await h.consume(placed!);
    await h.consume(cancelled!);
    await h.consume(paid!);
    expect(h.sent.map((m) => m.subject)).toEqual([expect.stringContaining("confirmed"), expect.stringContaining("cancelled")]);
    expect(h.calls).toEqual([]);
  });

  it("fail, record nothing as done, and succeed on the redelivery once the mail service or partner is back (nothing lost)", async () => {
    const h = await harness();
    const [, paid] = h.order(["paid"]);
    h.down.mail = 1;
    h.down.partner = 1;
    expect(await h.consume(paid!)).toMatchObject([
      { _tag: "Left", left: { _tag: "NotificationFailed", consumer: "email", reason: "SES throttled" } },
      { _tag: "Left", left: { _tag: "NotificationFailed", reason: "partner answered 500" } },
    ]);
    expect((await h.consume(paid!)).every(Either.isRight)).toBe(true);
    expect((await h.consume(paid!)).every(Either.isRight)).toBe(true);
    expect(h.sent).toHaveLength(1);
    expect(h.calls).toEqual([["warehouse", "OrderPaid"]]);
  });
});
