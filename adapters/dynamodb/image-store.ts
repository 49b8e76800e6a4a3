/**
 * Images live in their own item beside the product (`PRODUCT#<id>` / `IMAGES`), not in the product item:
 * every reservation rewrites the product item, and its write units grow with its size.
 */
import { Effect, Layer, Option, Schema } from "effect";
import {
  ProductImage,
  ProductImagesChanged,
  ProductImageStore,
  type ProductImageStoreShape,
  ProductImageUploadSettled,
  ProductNotFound,
  UploadIntent,
} from "../../domain/index.js";
import type { Dynamo } from "./client.js";
import { outboxPuts, type TransactItem } from "./guards.js";
import { Keys } from "./keys.js";
import { failedAt, onRejected, unavailableOnly } from "./rejections.js";

const imagesKey = (productId: string) => ({ PK: `PRODUCT#${productId}`, SK: "IMAGES" });
const uploadKey = (id: string) => ({ PK: `UPLOAD#${id}`, SK: "UPLOAD" });
// Settled intents stay a week for the admin to read why, then TTL deletes them.
const intentRetentionSeconds = 7 * 24 * 3600;

const encodeIntent = Schema.encodeSync(UploadIntent);
const decodeIntent = Schema.decodeUnknownSync(UploadIntent);
const Images = Schema.Struct({ images: Schema.Array(ProductImage), version: Schema.Int });
const decodeImages = Schema.decodeUnknownSync(Images);

/** A new intent, or the settlement of one that is still pending (a duplicate event finds it settled). */
const intentPut = (dynamo: Dynamo, intent: UploadIntent, settling: boolean): TransactItem => ({
  Put: {
    TableName: dynamo.tableName,
    Item: { ...uploadKey(intent.id), ...encodeIntent(intent), ttl: Math.ceil(intent.expiresAt / 1000) + intentRetentionSeconds },
    ...(settling
      ? { ConditionExpression: "#s = :pending", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":pending": "pending" } }
      : { ConditionExpression: "attribute_not_exists(PK)" }),
  },
});

/** The product still exists and its images are still the version read (absent: version 0). */
const imagesPut = (dynamo: Dynamo, productId: string, next: ReadonlyArray<ProductImage>, expectedVersion: number): ReadonlyArray<TransactItem> => [
  { ConditionCheck: { TableName: dynamo.tableName, Key: Keys.product(productId), ConditionExpression: "attribute_exists(PK)" } },
  {
    Put: {
      TableName: dynamo.tableName,
      Item: { ...imagesKey(productId), images: next, version: expectedVersion + 1 },
      ConditionExpression: expectedVersion === 0 ? "attribute_not_exists(PK)" : "version = :v",
      ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ":v": expectedVersion } }),
    },
  },
];

const imagesFailure = (productId: string, rejected: Parameters<typeof failedAt>[0], at: number) =>
  failedAt(rejected, at) ? Effect.fail(new ProductNotFound({ productId })) : Effect.fail(new ProductImagesChanged({ productId }));

export const dynamoImageStore = (dynamo: Dynamo): ProductImageStoreShape => ({
  createIntent: (intent) =>
    unavailableOnly(dynamo.transact("ProductImageStore.createIntent", [intentPut(dynamo, intent, false)])),

  getIntent: (id) =>
    unavailableOnly(dynamo.get("ProductImageStore.getIntent", { Key: uploadKey(id), ConsistentRead: true })).pipe(
      Effect.map((item) => Option.map(Option.fromNullable(item), decodeIntent)),
    ),

  images: (productId) =>
    unavailableOnly(dynamo.get("ProductImageStore.images", { Key: imagesKey(productId), ConsistentRead: true })).pipe(
      Effect.map((item) => (item ? decodeImages(item) : { images: [], version: 0 })),
    ),

  settle: ({ intent, images, event }) =>
    dynamo
      .transact("ProductImageStore.settle", [
        intentPut(dynamo, intent, true),
        ...(images ? imagesPut(dynamo, intent.productId, images.next, images.expectedVersion) : []),
        ...outboxPuts(dynamo, [event]),
      ])
      .pipe(
        onRejected((rejected) =>
          failedAt(rejected, 0) ? Effect.fail(new ProductImageUploadSettled({ uploadId: intent.id })) : imagesFailure(intent.productId, rejected, 1),
        ),
      ),

  replaceImages: (productId, next, expectedVersion) =>
    dynamo
      .transact("ProductImageStore.replaceImages", [...imagesPut(dynamo, productId, next, expectedVersion)])
      .pipe(onRejected((rejected) => imagesFailure(productId, rejected, 0))),
});

export const DynamoImageStore = (dynamo: Dynamo) => Layer.succeed(ProductImageStore, dynamoImageStore(dynamo));
