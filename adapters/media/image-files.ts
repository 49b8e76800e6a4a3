/**
 * The MediaFiles port: deleting an image's folder in the media bucket (S3, or the local emulator), and an in-memory
 * stand-in for tests. The sweep's role may list `images/` and delete under it; nothing else (infra/media.ts).
 */
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { Effect, Layer } from "effect";
import { imageFolder, MediaFiles, type MediaFilesShape, ProductImageStorageUnavailable } from "../../domain/index.js";

const unavailable = (operation: string) => (error: unknown) =>
  new ProductImageStorageUnavailable({ operation, reason: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error) });

/** Lists the folder and deletes what is in it, one key at a time (an image has at most a handful of files). */
export const s3MediaFiles = (s3: S3Client, bucket: string): MediaFilesShape => ({
  deleteImageFiles: (productId, imageId) =>
    Effect.tryPromise({
      try: async () => {
        const prefix = imageFolder(productId, imageId);
        let deleted = 0;
        let token: string | undefined;
        do {
          const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
          for (const { Key } of page.Contents ?? []) {
            // Listed under the prefix, so under the image's folder; checked again as the deletion is what cannot be undone.
            if (Key === undefined || !Key.startsWith(prefix)) continue;
            await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
            deleted++;
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token !== undefined);
        return deleted;
      },
      catch: unavailable("MediaFiles.deleteImageFiles"),
    }),
});

export const S3MediaFiles = (s3: S3Client, bucket: string) => Layer.succeed(MediaFiles, s3MediaFiles(s3, bucket));

/** Files as a set of keys; `failing` makes every deletion fail (the bucket down). */
export const memoryMediaFiles = (keys: Set<string>, options: { failing?: () => boolean } = {}): MediaFilesShape => ({
  deleteImageFiles: (productId, imageId) =>
    Effect.suspend(() => {
      if (options.failing?.()) return Effect.fail(unavailable("MediaFiles.deleteImageFiles")(new Error("bucket unavailable")));
      const prefix = imageFolder(productId, imageId);
      const gone = [...keys].filter((k) => k.startsWith(prefix));
      for (const k of gone) keys.delete(k);
      return Effect.succeed(gone.length);
    }),
});
