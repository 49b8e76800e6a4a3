import { Effect, Schema } from "effect";
import type { UserId, Timestamp } from "../shared/ids.js";
import { Clock, IdGenerator } from "../shared/ports.js";
import type { Role } from "../orders/order.js";
import { type Email, PersonName, type User, UserNameInvalid, normalizeEmail } from "./user.js";
import { UserStore } from "./ports.js";

export interface Registration {
  readonly email: string;
  readonly name: string;
  /** Hashed by the auth adapter before it reaches the domain. */
  readonly passwordHash: string;
  readonly role?: Role | undefined;
}

const isPersonName = Schema.is(PersonName);

export const registerUser = (input: Registration) =>
  Effect.gen(function* () {
    const name = input.name.trim();
    if (!isPersonName(name)) return yield* new UserNameInvalid({ maxLength: 100 });
    const id = (yield* Effect.flatMap(IdGenerator, (ids) => ids.next)) as UserId;
    const createdAt: Timestamp = yield* Effect.flatMap(Clock, (c) => c.now);
    const user: User = {
      id,
      email: normalizeEmail(input.email) as Email,
      name,
      role: input.role ?? "customer",
      passwordHash: input.passwordHash,
      createdAt,
    };
    yield* Effect.flatMap(UserStore, (users) => users.create(user));
    return user;
  });
