/**
 * Images live in their own item beside the product (`PRODUCT#<id>` / `IMAGES`), not in the product item:
 * every reservation rewrites the product item, and its write units grow with its size. The item also holds the
 * files the product owes (`filesDue`), in the same conditional write as the change that made them unneeded.
 */
import { Effect, Layer, Option, Schema } from "effect";
import {
  FilesDue,
  type ImagesWrite,
  type ProductId,
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
import { productFrom } from "./items.js";
import { Keys, pad, Partitions } from "./keys.js";
import { queryPage } from "./paging.js";
import { failedAt, oldItemAt, onRejected, unavailableOnly } from "./rejections.js";

const imagesKey = (productId: string) => ({ PK: `PRODUCT#${productId}`, SK: "IMAGES" });
const uploadKey = (id: string) => ({ PK: `UPLOAD#${id}`, SK: "UPLOAD" });
// Settled intents stay a week for the admin to read why, then TTL deletes them.
const intentRetentionSeconds = 7 * 24 * 3600;

const encodeIntent = Schema.encodeSync(UploadIntent);
const decodeIntent = Schema.decodeUnknownSync(UploadIntent);
const Images = Schema.Struct({ images: Schema.Array(ProductImage), filesDue: Schema.optionalWith(Schema.Array(FilesDue), { default: () => [] }), version: Schema.Int });
const decodeImages = Schema.decodeUnknownSync(Images);

/** A new intent (in the pending index until settled), or the settlement of one that is still pending. */
const intentPut = (dynamo: Dynamo, intent: UploadIntent, settling: boolean): TransactItem => ({
  Put: {
    TableName: dynamo.tableName,
    Item: {
      ...uploadKey(intent.id),
      ...encodeIntent(intent),
      ttl: Math.ceil(intent.expiresAt / 1000) + intentRetentionSeconds,
      ...(intent.status === "pending" ? { GSI3PK: Partitions.pendingUploadShard(intent.id), GSI3SK: `${pad(intent.expiresAt)}#${intent.id}` } : {}),
    },
    ...(settling
      ? { ConditionExpression: "#s = :pending", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":pending": "pending" } }
      : { ConditionExpression: "attribute_not_exists(PK)" }),
  },
});

/** The product still exists (still archived since `archivedAt`, when given) and its images are still the version read (absent: 0). */
const imagesPut = (dynamo: Dynamo, productId: string, write: ImagesWrite): ReadonlyArray<TransactItem> => {
  const { images, filesDue } = write.next;
  const owing = filesDue.length > 0 ? { GSI3PK: Partitions.imageFilesDueShard(productId), GSI3SK: `${pad(Math.min(...filesDue.map((d) => d.since)))}#${productId}` } : {};
  return [
    {
      ConditionCheck: {
        TableName: dynamo.tableName,
        Key: Keys.product(productId),
        ConditionExpression: write.archivedAt === undefined ? "attribute_exists(PK)" : "attribute_exists(PK) AND archivedAt = :at",
        ...(write.archivedAt === undefined ? {} : { ExpressionAttributeValues: { ":at": write.archivedAt } }),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    },
    {
      Put: {
        TableName: dynamo.tableName,
        Item: { ...imagesKey(productId), images, filesDue, version: write.expectedVersion + 1, ...owing },
        ConditionExpression: write.expectedVersion === 0 ? "attribute_not_exists(PK)" : "version = :v",
        ...(write.expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ":v": write.expectedVersion } }),
      },
    },
  ];
};

// The product check refused: absent is ProductNotFound; present, it was unarchived (or archived again) since the read.
const imagesFailure = (productId: string, rejected: Parameters<typeof failedAt>[0], at: number) =>
  failedAt(rejected, at) && oldItemAt(rejected, at) === undefined ? Effect.fail(new ProductNotFound({ productId })) : Effect.fail(new ProductImagesChanged({ productId }));

const productIdOf = (item: Record<string, unknown>) => String(item.PK).slice("PRODUCT#".length) as ProductId;

export const dynamoImageStore = (dynamo: Dynamo): ProductImageStoreShape => ({
  createIntent: (intent) =>
    unavailableOnly(dynamo.transact("ProductImageStore.createIntent", [intentPut(dynamo, intent, false)])),

  getIntent: (id) =>
    unavailableOnly(dynamo.get("ProductImageStore.getIntent", { Key: uploadKey(id), ConsistentRead: true })).pipe(
      Effect.map((item) => Option.map(Option.fromNullable(item), decodeIntent)),
    ),

  images: (productId) =>
    unavailableOnly(dynamo.get("ProductImageStore.images", { Key: imagesKey(productId), ConsistentRead: true })).pipe(
      Effect.map((item) => (item ? decodeImages(item) : { images: [], filesDue: [], version: 0 })),
    ),

  // One Query over the product's partition: "IMAGES" sorts before "PRODUCT", and nothing else lives between them.
  withImages: (productId) =>
    unavailableOnly(
      dynamo.query("ProductImageStore.withImages", {
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :images AND :product",
        ExpressionAttributeValues: { ":pk": Keys.product(productId).PK, ":images": imagesKey(productId).SK, ":product": Keys.product(productId).SK },
        ConsistentRead: true,
      }),
    ).pipe(
      Effect.map(({ Items = [], LastEvaluatedKey }) => {
        // Two small items never fill a 1 MB page: a cut-off answer would be a new item kind in this range, a bug.
        if (LastEvaluatedKey !== undefined) throw new Error(`ProductImageStore.withImages: a partial page for product ${productId}`);
        const product = Items.find((item) => item.SK === Keys.product(productId).SK);
        const images = Items.find((item) => item.SK === imagesKey(productId).SK);
        return Option.map(Option.fromNullable(product), (p) => ({ product: productFrom(p), images: images ? decodeImages(images).images : [] }));
      }),
    ),

  settle: ({ intent, images, event }) =>
    dynamo
      .transact("ProductImageStore.settle", [intentPut(dynamo, intent, true), ...(images ? imagesPut(dynamo, intent.productId, images) : []), ...outboxPuts(dynamo, [event])])
      .pipe(
        onRejected((rejected) =>
          failedAt(rejected, 0) ? Effect.fail(new ProductImageUploadSettled({ uploadId: intent.id })) : imagesFailure(intent.productId, rejected, 1),
        ),
      ),

  replaceImages: (productId, write) =>
    dynamo
      .transact("ProductImageStore.replaceImages", [...imagesPut(dynamo, productId, write)])
      .pipe(onRejected((rejected) => imagesFailure(productId, rejected, 0))),

  listFilesDue: (limit) =>
    queryPage(dynamo, { operation: "ProductImageStore.listFilesDue", index: "GSI3", identity: "images:files-due", partitions: Partitions.imageFilesDue() }, { limit }).pipe(
      Effect.map((page) => page.items.map(productIdOf)),
      // No cursor is given, so none can be refused.
      Effect.catchTag("PaginationCursorInvalid", Effect.die),
    ),

  listExpiredIntents: (before, limit) =>
    queryPage(
      dynamo,
      { operation: "ProductImageStore.listExpiredIntents", index: "GSI3", identity: "uploads:expired", partitions: Partitions.pendingUploads(), sortKeyBelow: pad(before) },
      { limit },
    ).pipe(
      Effect.map((page) => page.items.map((item) => decodeIntent(item))),
      Effect.catchTag("PaginationCursorInvalid", Effect.die),
    ),
});

export const DynamoImageStore = (dynamo: Dynamo) => Layer.succeed(ProductImageStore, dynamoImageStore(dynamo));
