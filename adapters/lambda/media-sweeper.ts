/**
 * Scheduled Lambda: the image sweep (domain/images/sweep.ts). Expires uploads never made, takes images off products
 * archived past the retention, and deletes the files products owe. Its role may list `images/` and delete under it,
 * nothing else in the bucket (infra/media.ts); it loads no sharp.
 */
import { Effect, Layer, ManagedRuntime } from "effect";
import { type ImageSweepReport, sweepImages } from "../../domain/index.js";
import { loadSweeperConfig } from "../config.js";
import { currentDeadline, lambdaDeadline } from "../deadline.js";
import { S3MediaFiles } from "../media/image-files.js";
import { mediaSettings } from "../media/settings.js";
import { makeS3 } from "../media/s3.js";
import { SystemClock } from "../system.js";
import { coldStartConfig } from "./cold-start.js";
import { log } from "./log.js";
import { storesFor } from "./stores.js";

// Products per step per run: a few small writes and S3 calls each; the next run (an hour later) takes the rest.
const limitPerRun = 200;
const dayMs = 24 * 60 * 60 * 1000;

const config = coldStartConfig(() => {
  const media = mediaSettings(process.env);
  if (media.bucket === undefined) throw new Error("Invalid configuration: MEDIA_BUCKET is required");
  return { ...loadSweeperConfig(process.env), media, bucket: media.bucket };
});
const layer = Layer.mergeAll(storesFor(config), SystemClock, S3MediaFiles(makeS3(config.media.endpoint), config.bucket));
const runtime = ManagedRuntime.make(layer);

/** Store calls stop before the function would time out; what was done is committed, the next run takes the rest. */
export const handler = async (_event?: unknown, context?: { getRemainingTimeInMillis(): number }): Promise<ImageSweepReport> => {
  const started = Date.now();
  const sweep = sweepImages(limitPerRun, { archivedRetentionMs: config.media.archivedRetentionDays * dayMs });
  try {
    const report = await runtime.runPromise(context ? Effect.locally(sweep, currentDeadline, lambdaDeadline(context)) : sweep);
    // A deletion the bucket refused stays owed and is retried next run; logged at error, so the reportedFailures alarm sees it.
    log(report.failed > 0 ? "error" : "info", "swept images", { ...report, limit: limitPerRun, ms: Date.now() - started });
    return report;
  } catch (error) {
    log("error", "image sweep stopped", { cause: error instanceof Error ? error.message : String(error), ms: Date.now() - started });
    throw error;
  }
};
