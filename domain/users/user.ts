import { Schema } from "effect";
import { Timestamp, UserId } from "../shared/ids.js";
import { Role } from "../orders/order.js";
import { PlainLine } from "../shared/text.js";

/** A bare address (HTML's "valid e-mail address", with a dot in the domain): no display name, no brackets, no spaces. */
export const Email = Schema.String.pipe(
  Schema.maxLength(254),
  Schema.pattern(/^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/, {
    message: () => "Expected an email address such as name@example.com",
  }),
  Schema.brand("Email"),
);
export type Email = typeof Email.Type;

/** What a person calls themselves: it greets them in mail, so one line of plain text. */
export const PersonName = PlainLine(100);

export const User = Schema.Struct({
  id: UserId,
  email: Email,
  name: PersonName,
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

/** A name that is not one line of 1 to 100 characters of plain text. */
export class UserNameInvalid extends Schema.TaggedError<UserNameInvalid>()("UserNameInvalid", {
  maxLength: Schema.Int,
}) {}
