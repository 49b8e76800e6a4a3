import { Effect, Layer, Option } from "effect";
import { AttemptCounter, normalizeEmail, UserEmailTaken, UserStore, type UserStoreShape, windowOf } from "../../domain/index.js";
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

/**
 * Attempt counters in the table, so every API instance shares them: one conditional `ADD` per attempt
 * on the window's item (`hits < max`), which TTL deletes a day after its window.
 */
export const DynamoAttemptCounter = (dynamo: Dynamo) =>
  Layer.succeed(AttemptCounter, {
    hit: (key, max, windowMs, now) => {
      const { start, end } = windowOf(now, windowMs);
      return dynamo
        .update("AttemptCounter.hit", {
          Key: Keys.attempts(key, start),
          UpdateExpression: "ADD hits :one SET #ttl = :ttl",
          ConditionExpression: "attribute_not_exists(hits) OR hits < :max",
          ExpressionAttributeNames: { "#ttl": "ttl" },
          ExpressionAttributeValues: { ":one": 1, ":max": max, ":ttl": Math.ceil(end / 1000) + 86_400 },
        })
        .pipe(
          Effect.as({ allowed: true, windowEndsAt: end }),
          Effect.catchTags({ DynamoRejected: () => Effect.succeed({ allowed: false, windowEndsAt: end }), DynamoInvalid: Effect.die }),
        );
    },
    forgive: (key, windowMs, now) =>
      dynamo
        .update("AttemptCounter.forgive", {
          Key: Keys.attempts(key, windowOf(now, windowMs).start),
          UpdateExpression: "ADD hits :minusOne",
          // Only an item that exists and holds a hit: a forgive never creates an item or goes below 0.
          ConditionExpression: "hits > :zero",
          ExpressionAttributeValues: { ":minusOne": -1, ":zero": 0 },
        })
        .pipe(Effect.asVoid, Effect.catchTags({ DynamoRejected: () => Effect.void, DynamoInvalid: Effect.die })),
  });
