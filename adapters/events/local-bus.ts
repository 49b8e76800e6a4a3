/**
 * The EventBus in one process (npm start, tests): each published event is delivered to every
 * subscriber, as EventBridge rules feed each consumer's queue: the events of one order one at a time
 * in publishing order, different orders at once. A failing delivery is retried a few times with
 * backoff, then dead-lettered, as an SQS queue with a redrive policy does.
 */
import { Effect, Layer } from "effect";
import { type DomainEvent, EventBus, isOrderEvent } from "../../domain/index.js";

export interface Subscriber {
  readonly name: string;
  readonly handle: (event: DomainEvent) => Promise<void>;
}

export interface DeadLetter {
  readonly subscriber: string;
  readonly event: DomainEvent;
  readonly error: unknown;
}

export interface LocalBusOptions {
  /** Deliveries per event and subscriber before it is dead-lettered (SQS maxReceiveCount; 3 by default). */
  readonly maxReceives?: number;
  /** Wait before the first redelivery; doubles each time (100 ms by default). */
  readonly retryDelayMs?: number;
  readonly log?: (line: Record<string, unknown>) => void;
}

export const makeLocalBus = (options: LocalBusOptions = {}) => {
  const subscribers: Array<Subscriber> = [];
  const published: Array<DomainEvent> = [];
  const deadLetters: Array<DeadLetter> = [];
  const inFlight = new Set<Promise<void>>();
  /** Per subscriber and order, the end of its delivery queue (dropped once it drains). */
  const queues = new Map<string, Promise<void>>();
  const enqueue = (key: string, work: () => Promise<void>) => {
    const next = (queues.get(key) ?? new Promise<void>((go) => setImmediate(go))).then(work);
    queues.set(key, next);
    void next.finally(() => queues.get(key) === next && queues.delete(key));
    track(next);
  };
  const maxReceives = options.maxReceives ?? 3;
  const delay = options.retryDelayMs ?? 100;

  const deliver = async (subscriber: Subscriber, event: DomainEvent) => {
    for (let receive = 1; ; receive++) {
      try {
        return await subscriber.handle(event);
      } catch (error) {
        if (receive >= maxReceives) {
          deadLetters.push({ subscriber: subscriber.name, event, error });
          options.log?.({ level: "error", msg: "event dead-lettered", subscriber: subscriber.name, eventId: event.eventId, type: event.type, error: String(error) });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay * 2 ** (receive - 1)));
      }
    }
  };

  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  return {
    subscribe: (subscriber: Subscriber) => void subscribers.push(subscriber),
    /** Every event published, in publishing order (what a recording bus shows). */
    published: published as ReadonlyArray<DomainEvent>,
    deadLetters: deadLetters as ReadonlyArray<DeadLetter>,
    /** Resolves when every delivery started so far has finished (or been dead-lettered). */
    drained: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    /** Resolves when every delivery started so far has finished (or been dead-lettered), whatever starts after. */
    settled: (): Promise<void> => Promise.all([...inFlight]).then(() => undefined),
    layer: Layer.succeed(EventBus, {
      publish: (events) =>
        Effect.sync(() => {
          published.push(...events);
          // Deliveries run after the publish returns, as a bus does: a slow consumer never holds the relay.
          for (const s of subscribers)
            for (const event of events) enqueue(`${s.name}#${!isOrderEvent(event) ? event.eventId : event.orderId}`, () => deliver(s, event));
          return { failed: [] };
        }),
    }),
  };
};

export type LocalBus = ReturnType<typeof makeLocalBus>;
