import { Effect, Layer, Option } from "effect";
import { normalizeEmail, UserEmailTaken, UserStore, type UserStoreShape } from "../../domain/index.js";
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
