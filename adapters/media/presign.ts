import type { S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { incomingKey, type UploadIntent } from "../../domain/index.js";

export interface PresignedUpload {
  readonly uploadId: string;
  /** POST a multipart form here: every field below, then the file as the last field, `file`. */
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly expiresAt: number;
}

/**
 * A presigned POST, not PUT: its signed policy makes S3 itself refuse a file over `maxBytes`, another
 * Content-Type or another key. The key is the server's; the client only chooses the bytes.
 */
export const presignUpload = async (
  s3: S3Client,
  settings: { readonly bucket: string; readonly maxUploadBytes: number; readonly uploadTtlSeconds: number },
  intent: UploadIntent,
): Promise<PresignedUpload> => {
  const key = incomingKey(intent);
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: settings.bucket,
    Key: key,
    Conditions: [
      ["content-length-range", 1, settings.maxUploadBytes],
      ["eq", "$Content-Type", intent.contentType],
      ["eq", "$key", key],
    ],
    Fields: { "Content-Type": intent.contentType },
    Expires: settings.uploadTtlSeconds,
  });
  return { uploadId: intent.id, url, fields, maxBytes: settings.maxUploadBytes, expiresAt: intent.expiresAt };
};
