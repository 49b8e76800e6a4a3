import { Effect, Layer, Option } from "effect";
import { AttemptCounter, normalizeEmail, UserEmailTaken, UserStore, type UserStoreShape, windowOf } from "../../domain/index.js";
import type { MemoryDb } from "./db.js";

export const memoryUserStore = (db: MemoryDb): UserStoreShape => ({
  create: (user) =>
    Effect.suspend(() => {
      const email = normalizeEmail(user.email);
      if (db.emails.has(email)) return Effect.fail(new UserEmailTaken({ email }));
      db.emails.set(email, user.id);
      db.users.set(user.id, user);
      return Effect.void;
    }),
  findByEmail: (email) =>
    Effect.sync(() => {
      const id = db.emails.get(normalizeEmail(email));
      return Option.fromNullable(id === undefined ? undefined : db.users.get(id));
    }),
  findById: (id) => Effect.sync(() => Option.fromNullable(db.users.get(id))),
});

export const MemoryUserStore = (db: MemoryDb) => Layer.succeed(UserStore, memoryUserStore(db));

/** The in-memory attempt counter (memory mode, tests): per process, like the limiter it replaces. */
export const MemoryAttemptCounter = (db: MemoryDb) =>
  Layer.succeed(AttemptCounter, {
    hit: (key, max, windowMs, now) =>
      Effect.sync(() => {
        const { start, end } = windowOf(now, windowMs);
        const id = `${key}#${start}`;
        const counter = db.attempts.get(id);
        if (counter && counter.hits >= max) return { allowed: false, windowEndsAt: end };
        if (counter) counter.hits++;
        else {
          // Ended windows are forgotten as new ones start (the table's items go by TTL): memory stays bounded.
          for (const [k, c] of db.attempts) if (c.end <= now) db.attempts.delete(k);
          db.attempts.set(id, { hits: 1, end });
        }
        return { allowed: true, windowEndsAt: end };
      }),
    forgive: (key, windowMs, now) =>
      Effect.sync(() => {
        const counter = db.attempts.get(`${key}#${windowOf(now, windowMs).start}`);
        if (counter && counter.hits > 0) counter.hits--;
      }),
  });
