/** The S3 client and the form signer, as one module: the API loads it on its first upload (adapters/media/uploads.ts). */
import type { UploadIntent } from "../../domain/index.js";
import { presignUpload } from "./presign.js";
import { makeS3 } from "./s3.js";

export const makeUploadSigner = (settings: { readonly endpoint?: string | undefined; readonly bucket: string; readonly maxUploadBytes: number; readonly uploadTtlSeconds: number }) => {
  const s3 = makeS3(settings.endpoint);
  return (intent: UploadIntent) => presignUpload(s3, settings, intent);
};
