import { S3Client } from "@aws-sdk/client-s3";

/** The emulator's fixed credentials (s3rver checks SigV4 against them); never used on AWS. */
export const emulatorCredentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/**
 * One S3 client per process. Checksums only when S3 requires them: since SDK 3.729 a default client
 * bakes an empty-body CRC32 into presigned requests, which no browser upload can match.
 */
export const makeS3 = (endpoint?: string): S3Client =>
  new S3Client({
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true, region: "us-east-1", credentials: emulatorCredentials }),
  });
