/**
 * The local stand-in for S3 (npm start and the tests): @20minutes/s3rver on a port, its ObjectCreated events
 * handed to the same validation code the Lambda runs. Never bundled into a deployed function.
 */
import { mkdirSync } from "node:fs";
import S3rver from "@20minutes/s3rver";
import type { S3Client } from "@aws-sdk/client-s3";
import { makeS3 } from "./s3.js";
import { keysOf, validateUpload, type Outcome, type ValidatorDeps } from "./validator.js";

export interface LocalMedia {
  readonly endpoint: string;
  readonly bucket: string;
  /** Where a browser reads an object: the emulator serves the bucket path-style, without a signature. */
  readonly baseUrl: string;
  readonly s3: S3Client;
  /** Resolves when every event received so far has been validated. */
  readonly settled: () => Promise<ReadonlyArray<Outcome>>;
  readonly stop: () => Promise<void>;
}

export const startLocalMedia = async (options: {
  readonly directory: string;
  readonly port?: number;
  readonly bucket?: string;
  readonly validator: Omit<ValidatorDeps, "s3" | "bucket">;
  readonly onOutcome?: (key: string, outcome: Outcome) => void;
  readonly onError?: (key: string, error: unknown) => void;
}): Promise<LocalMedia> => {
  const bucket = options.bucket ?? "cartwright-media";
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({ port: options.port ?? 0, address: "127.0.0.1", silent: true, directory: options.directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = makeS3(endpoint);
  const deps: ValidatorDeps = { ...options.validator, s3, bucket };
  const pending = new Set<Promise<Outcome | undefined>>();
  const outcomes: Array<Outcome> = [];
  server.on("event", (event: { Records: Array<{ eventName: string; s3: { object: { key: string } } }> }) => {
    // The same filter as the bucket notification on AWS: objects created under incoming/ only.
    for (const key of keysOf(event).filter((k, i) => k.startsWith("incoming/") && event.Records[i]!.eventName.startsWith("ObjectCreated"))) {
      const run = validateUpload(deps, key).then(
        (outcome) => (outcomes.push(outcome), options.onOutcome?.(key, outcome), outcome),
        (error: unknown) => (options.onError?.(key, error), undefined),
      );
      pending.add(run);
      void run.finally(() => pending.delete(run));
    }
  });
  return {
    endpoint,
    bucket,
    baseUrl: `${endpoint}/${bucket}`,
    s3,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
      return outcomes;
    },
    stop: async () => {
      s3.destroy();
      server.httpServer?.closeAllConnections();
      await server.close();
    },
  };
};
