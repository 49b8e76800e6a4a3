import type { MediaUploads } from "../http/route.js";
import type { PresignedUpload } from "./presign.js";
import type { MediaSettings } from "./settings.js";
import type { UploadIntent } from "../../domain/index.js";

/**
 * The API's uploads: presigned forms into the media bucket; none without a bucket. The S3 client and the form
 * signer load on the first upload (a lazy chunk on Lambda): a storefront request never pays for them at cold start.
 */
export const mediaUploads = (settings: MediaSettings): MediaUploads | undefined => {
  const bucket = settings.bucket;
  if (bucket === undefined) return undefined;
  let signer: Promise<(intent: UploadIntent) => Promise<PresignedUpload>> | undefined;
  const load = () =>
    (signer ??= import("./upload-signer.js")
      .then(({ makeUploadSigner }) => makeUploadSigner({ ...settings, bucket }))
      .catch((error: unknown) => {
        // A failed load is tried again by the next upload, not remembered.
        signer = undefined;
        throw error;
      }));
  return {
    baseUrl: settings.baseUrl,
    uploadTtlSeconds: settings.uploadTtlSeconds,
    presign: async (intent) => (await load())(intent),
  };
};
