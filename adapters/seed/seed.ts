/** Loads the demo catalog and users; idempotent, so a restart on a persistent store changes nothing. */
import { Effect } from "effect";
import { createProduct, registerUser, type Role } from "../../domain/index.js";
import { hashPassword, type ScryptParams } from "../http/auth/password.js";
import { demoCatalog, demoUsers } from "./catalog.js";

export interface SeedReport {
  readonly productsCreated: number;
  readonly usersCreated: number;
}

const seedUser = (user: { email: string; password: string; name: string }, role: Role, scrypt?: ScryptParams) =>
  Effect.promise(() => hashPassword(user.password, scrypt)).pipe(
    Effect.flatMap((passwordHash) => registerUser({ email: user.email, name: user.name, passwordHash, role })),
    Effect.as(1),
    Effect.catchTag("UserEmailTaken", () => Effect.succeed(0)),
  );

export const seedDemoData = (scrypt?: ScryptParams) =>
  Effect.gen(function* () {
    const created = yield* Effect.forEach(demoCatalog, (product) =>
      createProduct(product).pipe(
        Effect.as(1),
        Effect.catchTag("ProductAlreadyExists", () => Effect.succeed(0)),
      ),
    );
    const users = yield* Effect.all([seedUser(demoUsers.customer, "customer", scrypt), seedUser(demoUsers.admin, "admin", scrypt)]);
    const report: SeedReport = { productsCreated: created.reduce((a, b) => a + b, 0), usersCreated: users[0] + users[1] };
    return report;
  });
