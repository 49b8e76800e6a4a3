/** The two consumers over given stores, with a recording mailer and partner webhooks that fail, or are slow, on demand. */
import { Effect, Either, Layer, ManagedRuntime } from "effect";
import { FiberDeadline } from "../../adapters/consumers/deadline.js";
import { currentDeadline } from "../../adapters/deadline.js";
import { makeManualClock } from "../../adapters/memory/layer.js";
import {
  CheckoutOps,
  type DomainEvent,
  emailCustomer,
  type EmailMessage,
  type EventReceipts,
  type IdempotencyKey,
  Mailer,
  MailUndelivered,
  NotificationFailed,
  notifyPartners,
  type OrderId,
  OrderOps,
  type OrderStatus,
  type Partner,
  PartnerWebhooks,
  type Timestamp,
  UserStore,
  type UserId,
} from "../../domain/index.js";
import { customer, line, uniqueId } from "../support/fixtures.js";

export interface Faults {
  /** Failures to come: each call fails while its counter is above 0, counting down. */
  mail: number;
  partner: number;
  /** How long a send takes (interrupting it aborts it: nothing is sent). */
  mailMs: number;
}

export const consumerHarness = async (stores: Layer.Layer<UserStore | EventReceipts>) => {
  const sent: Array<{ readonly subject: string; readonly message: EmailMessage }> = [];
  const calls: Array<{ readonly partner: Partner; readonly type: string; readonly eventId: string }> = [];
  const faults: Faults = { mail: 0, partner: 0, mailMs: 0 };
  const fakes = Layer.mergeAll(
    Layer.succeed(Mailer, {
      send: (m) =>
        Effect.suspend(() =>
          faults.mail-- > 0
            ? Effect.fail(new MailUndelivered({ reason: "SES throttled" }))
            : Effect.sleep(faults.mailMs).pipe(Effect.zipRight(Effect.sync(() => void sent.push({ subject: m.subject, message: m })))),
        ),
    }),
    Layer.succeed(PartnerWebhooks, {
      notify: (partner, e) =>
        Effect.suspend(() =>
          faults.partner-- > 0
            ? Effect.fail(new NotificationFailed({ consumer: "fulfilment", eventId: e.eventId, reason: "partner answered 500" }))
            : Effect.sync(() => void calls.push({ partner, type: e.type, eventId: e.eventId })),
        ),
    }),
  );
  const clock = makeManualClock();
  const runtime = ManagedRuntime.make(Layer.mergeAll(stores, fakes, clock.layer, FiberDeadline));
  const customerId = uniqueId("c") as UserId;
  await runtime.runPromise(Effect.flatMap(UserStore, (u) => u.create({ id: customerId, email: `${uniqueId("sam")}@example.com` as never, name: "Sam", role: "customer", passwordHash: "x", createdAt: 0 as Timestamp })));
  /** The invocation's deadline (epoch ms), as the Lambda consumer sets it; none by default. */
  const deadline: { at: number | undefined } = { at: undefined };
  const run = <A, E>(effect: Effect.Effect<A, E, ManagedRuntime.ManagedRuntime.Context<typeof runtime>>) =>
    runtime.runPromise(Effect.either(deadline.at === undefined ? effect : Effect.locally(effect, currentDeadline, deadline.at)));
  const email = (e: DomainEvent) => run(emailCustomer(e));
  const fulfilment = (e: DomainEvent) => run(notifyPartners(e));
  /** Each consumer gets the event from its own queue. */
  const consume = async (e: DomainEvent) => [await email(e), await fulfilment(e)];
  /** The events of a new order of this customer that goes through `path`. */
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
  return { sent, calls, faults, clock, deadline, consume, email, fulfilment, order, dispose: () => runtime.dispose() };
};

export type ConsumerHarness = Awaited<ReturnType<typeof consumerHarness>>;
