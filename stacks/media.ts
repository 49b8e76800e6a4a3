/** Product images in the program (stacks/index.ts): the Media component sized from `cartwright:media`, and what the API reads of it. */
import type * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../infra/config.js";
import type { Database } from "../infra/database.js";
import { Media } from "../infra/media.js";
import type { stackNames, Tags } from "../infra/names.js";

export const productImages = (
  config: StackConfig,
  names: ReturnType<typeof stackNames>,
  tags: Tags,
  database: Database,
  account: pulumi.Output<string>,
  permissionsBoundary: pulumi.Input<string>,
) => {
  const { validator, sweeper, maxUploadBytes, priceClass, archivedImageRetentionDays, forceDestroy } = config.media;
  return new Media("media", {
    bucketName: account.apply(names.mediaBucket),
    accountId: account,
    forceDestroy,
    functionName: names.mediaFunction,
    memoryMb: validator.memoryMb,
    timeoutSeconds: validator.timeoutSeconds,
    maxUploadBytes,
    priceClass,
    sweeper: { functionName: names.mediaSweeperFunction, everyMinutes: sweeper.everyMinutes, memoryMb: sweeper.memoryMb, timeoutSeconds: sweeper.timeoutSeconds, archivedImageRetentionDays },
    tableName: database.tableName,
    tableArn: database.tableArn,
    indexNames: database.indexNames,
    logRetentionDays: config.logRetentionDays,
    logLevel: config.logLevel,
    permissionsBoundary,
    tags,
  });
};

/** What the API reads about uploads (adapters/media/settings.ts): the bucket, the CDN, the limits. */
export const mediaEnvironment = (config: StackConfig, media: Media): Record<string, pulumi.Input<string>> => ({
  MEDIA_BUCKET: media.bucketName,
  MEDIA_BASE_URL: media.baseUrl,
  MEDIA_MAX_UPLOAD_BYTES: String(config.media.maxUploadBytes),
  MEDIA_UPLOAD_TTL_SECONDS: String(config.media.uploadTtlSeconds),
});
