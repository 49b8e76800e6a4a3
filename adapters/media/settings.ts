/** Media settings, read from the environment once (the API and the validator); a bad value stops the process naming it. */
import { Either, ParseResult, Schema } from "effect";

const Int = (min: number, max: number) => Schema.compose(Schema.NumberFromString, Schema.Int.pipe(Schema.between(min, max)));

const MediaEnv = Schema.Struct({
  /** The private bucket uploads go to; unset: uploads are off (POST …/images answers 503). */
  MEDIA_BUCKET: Schema.optional(Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/))),
  /** Where shoppers read images: the CloudFront distribution (or the local emulator's bucket URL). */
  MEDIA_BASE_URL: Schema.optionalWith(Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+[^/]$/)), { default: () => "http://localhost:4569/cartwright-media" }),
  /** The largest file an upload may carry, in bytes (the POST policy's content-length-range). */
  MEDIA_MAX_UPLOAD_BYTES: Schema.optionalWith(Int(1024, 50 * 1024 * 1024), { default: () => 10 * 1024 * 1024 }),
  /** How long a presigned upload form stays usable. */
  MEDIA_UPLOAD_TTL_SECONDS: Schema.optionalWith(Int(30, 3600), { default: () => 300 }),
  /** How long an archived product keeps its images (unarchiving restores them); the image sweep then deletes them. */
  MEDIA_ARCHIVED_RETENTION_DAYS: Schema.optionalWith(Int(1, 3650), { default: () => 30 }),
  /** The S3 endpoint to use instead of AWS (the local emulator). */
  S3_ENDPOINT: Schema.optional(Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/))),
});

export interface MediaSettings {
  readonly bucket: string | undefined;
  readonly baseUrl: string;
  readonly maxUploadBytes: number;
  readonly uploadTtlSeconds: number;
  readonly archivedRetentionDays: number;
  readonly endpoint: string | undefined;
}

export const mediaSettings = (env: Record<string, string | undefined> = process.env): MediaSettings => {
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in MediaEnv.fields && v !== undefined && v !== ""));
  const decoded = Schema.decodeUnknownEither(MediaEnv)(present);
  if (Either.isLeft(decoded)) throw new Error(`Invalid configuration: ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`);
  const e = decoded.right;
  return { bucket: e.MEDIA_BUCKET, baseUrl: e.MEDIA_BASE_URL, maxUploadBytes: e.MEDIA_MAX_UPLOAD_BYTES, uploadTtlSeconds: e.MEDIA_UPLOAD_TTL_SECONDS, archivedRetentionDays: e.MEDIA_ARCHIVED_RETENTION_DAYS, endpoint: e.S3_ENDPOINT };
};
