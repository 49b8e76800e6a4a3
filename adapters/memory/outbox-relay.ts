/** Memory mode's relay: reads the memory outbox like a stream, from where it left off, and publishes what is new, in sequence per order. */
import { Effect, type Layer } from "effect";
import type { EventBus } from "../../domain/index.js";
import { publishInOrder } from "../events/relay.js";
import type { MemoryDb } from "./db.js";

export const startOutboxRelay = (db: MemoryDb, bus: Layer.Layer<EventBus>, pollMs = 50) => {
  let position = 0;
  let busy = false;
  const tick = async () => {
    if (busy || position >= db.outbox.length) return;
    busy = true;
    const batch = db.outbox.slice(position, position + 100);
    const failed = await Effect.runPromise(publishInOrder(batch).pipe(Effect.provide(bus))).catch(() => batch.map((e) => e.eventId));
    // Resume at the first event not published: it and what follows are offered again (consumers drop the duplicates).
    const first = batch.findIndex((e) => failed.includes(e.eventId));
    position += first === -1 ? batch.length : first;
    busy = false;
  };
  const timer = setInterval(() => void tick(), pollMs);
  return { stop: async () => clearInterval(timer) };
};
