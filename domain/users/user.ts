import { Schema } from "effect";
import { Timestamp, UserId } from "../shared/ids.js";
import { Role } from "../orders/order.js";

export const Email = Schema.String.pipe(
  Schema.maxLength(254),
  Schema.pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: () => "Expected an email address such as name@example.com" }),
  Schema.brand("Email"),
);
export type Email = typeof Email.Type;

export const User = Schema.Struct({
  id: UserId,
  email: Email,
  name: Schema.String.pipe(Schema.trimmed(), Schema.minLength(1), Schema.maxLength(100)),
  role: Role,
  /** Opaque to the domain: the auth adapter hashes and verifies. Never leaves the server. */
  passwordHash: Schema.String,
  createdAt: Timestamp,
});
export type User = typeof User.Type;

/** Emails are compared case-insensitively: stores key users by this form. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export class UserEmailTaken extends Schema.TaggedError<UserEmailTaken>()("UserEmailTaken", {
  email: Schema.String,
}) {}

export class UserNotFound extends Schema.TaggedError<UserNotFound>()("UserNotFound", {
  userId: Schema.String,
}) {}
