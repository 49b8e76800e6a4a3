import { S3Client } from "@aws-sdk/client-s3";

/** The emulator's fixed credentials (s3rver checks SigV4 against them); never used on AWS. */
export const emulatorCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/**
 * s3rver signs a bucket-level request (a listing) over `/<bucket>`, the SDK over `/<bucket>/`: the emulator then
 * refuses the signature. Dropping the trailing slash before signing makes both agree; S3 itself takes either.
 */
const bucketPathWithoutSlash = (client: S3Client): S3Client => {
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { path?: string };
      if (typeof request.path === "string" && /^\/[^/]+\/$/.test(request.path)) request.path = request.path.slice(0, -1);
      return next(args);
    },
    { step: "build", name: "emulatorBucketPath" },
  );
  return client;
};

/**
 * One S3 client per process. Checksums only when S3 requires them: since SDK 3.729 a default client
 * bakes an empty-body CRC32 into presigned requests, which no browser upload can match.
 */
export const makeS3 = (endpoint?: string): S3Client => {
  const client = new S3Client({
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true, region: "us-east-1", credentials: emulatorCredentials }),
  });
  return endpoint === undefined ? client : bucketPathWithoutSlash(client);
};
