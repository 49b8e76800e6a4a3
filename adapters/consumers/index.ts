/** The order-event consumers (customer email, partner webhooks) and the layers they run on, deployed or local. */
import { type Effect, Layer, ManagedRuntime } from "effect";
import { type Clock, type DomainEvent, emailCustomer, type EventReceipts, type Mailer, notifyPartners, type PartnerWebhooks, type UserStore } from "../../domain/index.js";
import type { ConsumerConfig } from "../config.js";
import type { Subscriber } from "../events/local-bus.js";
import { EmlFileMailer } from "../mail/eml-files.js";
import { SystemClock } from "../system.js";
import { HttpWebhooks, type WebhookDelivery } from "../webhooks/http.js";
import { FiberDeadline } from "./deadline.js";

export type ConsumerServices = UserStore | EventReceipts | Mailer | PartnerWebhooks | Clock;

/** Each consumer by name: what it does with one event (fails, so the delivery is retried, when its effect did not happen or must wait). */
export const consumers: Record<"email" | "fulfilment", (event: DomainEvent) => Effect.Effect<unknown, unknown, ConsumerServices>> = {
  email: emailCustomer,
  fulfilment: notifyPartners,
};

/** Mail and webhooks of a local run: .eml files, and signed POSTs to the partner URLs given (logged when none; each call told to `record`). */
export const localSideEffects = (config: ConsumerConfig, log: (line: Record<string, unknown>) => void, record?: (delivery: WebhookDelivery) => void) =>
  Layer.mergeAll(
    EmlFileMailer(config.mailDir, config.mailFrom, log),
    HttpWebhooks({ urls: config.webhooks.urls, secret: config.webhooks.secret, ...(config.webhooks.secretFor ? { secretFor: config.webhooks.secretFor } : {}), log, ...(record ? { record } : {}) }),
    SystemClock,
    FiberDeadline,
  );

/** The consumers as subscribers of the in-process bus, over the given stores and side effects. */
export const localSubscribers = (layer: Layer.Layer<ConsumerServices>) => {
  const runtime = ManagedRuntime.make(layer);
  const subscribers: Array<Subscriber> = Object.entries(consumers).map(([name, consume]) => ({ name, handle: (event) => runtime.runPromise(consume(event)).then(() => undefined) }));
  return { subscribers, dispose: () => runtime.dispose() };
};

export { FiberDeadline } from "./deadline.js";
