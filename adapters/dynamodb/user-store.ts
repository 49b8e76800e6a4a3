import { Effect, Layer, Option } from "effect";
import { normalizeEmail, UserEmailTaken, UserStore, type UserStoreShape } from "../../domain/index.js";
import type { Dynamo } from "./client.js";
import { emailGuardItem, guardFrom, userFrom, userItem } from "./items.js";
import { Keys } from "./keys.js";
import { failedAt, onRejected, unavailableOnly } from "./rejections.js";

const findById = (dynamo: Dynamo, id: string, operation: string) =>
  unavailableOnly(dynamo.get(operation, { Key: Keys.user(id), ConsistentRead: true })).pipe(
    Effect.map((item) => Option.map(Option.fromNullable(item), userFrom)),
  );

export const dynamoUserStore = (dynamo: Dynamo): UserStoreShape => ({
  // The email guard item makes the email unique: both items are written together or not at all.
  create: (user) => {
    const email = normalizeEmail(user.email);
    return dynamo
      .transact("UserStore.create", [
        { Put: { TableName: dynamo.tableName, Item: userItem(user), ConditionExpression: "attribute_not_exists(PK)" } },
        { Put: { TableName: dynamo.tableName, Item: emailGuardItem(email, user.id), ConditionExpression: "attribute_not_exists(PK)" } },
      ])
      .pipe(
        onRejected((rejected) => (failedAt(rejected, 1) ? Effect.fail(new UserEmailTaken({ email })) : Effect.die(rejected))),
      );
  },

  findByEmail: (email) =>
    unavailableOnly(dynamo.get("UserStore.findByEmail", { Key: Keys.email(normalizeEmail(email)), ConsistentRead: true })).pipe(
      Effect.flatMap((guard) =>
        guard === undefined ? Effect.succeed(Option.none()) : findById(dynamo, guardFrom(guard).userId, "UserStore.findByEmail"),
      ),
    ),

  findById: (id) => findById(dynamo, id, "UserStore.findById"),
});

export const DynamoUserStore = (dynamo: Dynamo) => Layer.succeed(UserStore, dynamoUserStore(dynamo));
