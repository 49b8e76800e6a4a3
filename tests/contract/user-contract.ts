import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import { UserStore, type Email, type Timestamp, type User, type UserId } from "../../domain/index.js";
import { uniqueId } from "../support/fixtures.js";
import { outcome } from "../support/run.js";
import type { ContractContext } from "./store-contract.js";

const user = (email: string): User => ({
  id: uniqueId("u") as UserId,
  email: email as Email,
  name: "Ada",
  role: "customer",
  passwordHash: "scrypt$opaque",
  createdAt: 1 as Timestamp,
});

export const describeUserContract = (name: string, ctx: ContractContext) =>
  describe(`${name}: UserStore`, () => {
    it("finds a user by id and by email, whatever the email's case", async () => {
      const u = user(`${uniqueId("ada")}@example.com`.toLowerCase());
      await ctx.ok(Effect.flatMap(UserStore, (s) => s.create(u)));
      expect(Option.getOrThrow(await ctx.ok(Effect.flatMap(UserStore, (s) => s.findById(u.id))))).toEqual(u);
      expect(Option.getOrThrow(await ctx.ok(Effect.flatMap(UserStore, (s) => s.findByEmail(u.email.toUpperCase()))))).toEqual(u);
      expect(Option.isNone(await ctx.ok(Effect.flatMap(UserStore, (s) => s.findByEmail("nobody@example.com"))))).toBe(true);
    });

    it("refuses a second user with the same email (invariant: one account per email)", async () => {
      const email = `${uniqueId("bob")}@example.com`.toLowerCase();
      await ctx.ok(Effect.flatMap(UserStore, (s) => s.create(user(email))));
      const twin = user(email);
      expect(outcome(await ctx.run(Effect.flatMap(UserStore, (s) => s.create(twin))))).toBe("UserEmailTaken");
      expect(Option.isNone(await ctx.ok(Effect.flatMap(UserStore, (s) => s.findById(twin.id))))).toBe(true);
    });
  });
