import type { MediaUploads } from "../http/route.js";
import type { MediaSettings } from "./settings.js";
import { makeS3 } from "./s3.js";
import { presignUpload } from "./presign.js";

/** The API's uploads: presigned forms into the media bucket; none without a bucket. */
export const mediaUploads = (settings: MediaSettings): MediaUploads | undefined => {
  const bucket = settings.bucket;
  if (bucket === undefined) return undefined;
  const s3 = makeS3(settings.endpoint);
  return {
    baseUrl: settings.baseUrl,
    uploadTtlSeconds: settings.uploadTtlSeconds,
    presign: (intent) => presignUpload(s3, { ...settings, bucket }, intent),
  };
};
