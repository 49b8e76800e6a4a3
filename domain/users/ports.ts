import { Context, type Effect, type Option } from "effect";
import type { PersistenceUnavailable } from "../shared/errors.js";
import type { UserId } from "../shared/ids.js";
import type { User, UserEmailTaken } from "./user.js";

export interface UserStoreShape {
  /** Creates the user only if no user has that (normalized) email. */
  readonly create: (user: User) => Effect.Effect<void, UserEmailTaken | PersistenceUnavailable>;
  readonly findByEmail: (email: string) => Effect.Effect<Option.Option<User>, PersistenceUnavailable>;
  readonly findById: (id: UserId) => Effect.Effect<Option.Option<User>, PersistenceUnavailable>;
}
export class UserStore extends Context.Tag("cartwright/UserStore")<UserStore, UserStoreShape>() {}
