/** Memory mode's relay: reads the memory outbox like a stream, from where it left off, and publishes what is new. */
import { Effect, type Layer } from "effect";
import { EventBus } from "../../domain/index.js";
import type { MemoryDb } from "./db.js";

export const startOutboxRelay = (db: MemoryDb, bus: Layer.Layer<EventBus>, pollMs = 50) => {
  let position = 0;
  let busy = false;
  const tick = async () => {
    if (busy || position >= db.outbox.length) return;
    busy = true;
    const batch = db.outbox.slice(position, position + 100);
    const report = await Effect.runPromise(Effect.flatMap(EventBus, (b) => b.publish(batch)).pipe(Effect.provide(bus))).catch(() => ({ failed: batch.map((e) => e.eventId) }));
    // Resume at the first refused event: it and what follows are offered again on the next tick.
    const refused = batch.findIndex((e) => report.failed.includes(e.eventId));
    position += refused === -1 ? batch.length : refused;
    busy = false;
  };
  const timer = setInterval(() => void tick(), pollMs);
  return { stop: async () => clearInterval(timer) };
};
