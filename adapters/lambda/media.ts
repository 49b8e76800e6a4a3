/** Lambda entry: the media bucket's ObjectCreated events under incoming/ (the notification's filter), one upload each. */
import { Effect, Layer, ManagedRuntime } from "effect";
import { loadSweeperConfig } from "../config.js";
import { mediaSettings } from "../media/settings.js";
import { makeS3 } from "../media/s3.js";
import { keysOf, validateUpload } from "../media/validator.js";
import { SystemClock } from "../system.js";
import { coldStartConfig } from "./cold-start.js";
import { log } from "./log.js";
import { storesFor } from "./stores.js";

const config = coldStartConfig(() => ({ ...loadSweeperConfig(process.env), media: mediaSettings(process.env) }));
const runtime = ManagedRuntime.make(Layer.mergeAll(storesFor(config), SystemClock));
const s3 = makeS3(config.media.endpoint);
const bucket = config.media.bucket ?? "";

/** A thrown error fails the invocation: S3 retries it (twice), and the failure is alarmed. */
export const handler = async (event: { readonly Records?: ReadonlyArray<{ readonly s3: { readonly object: { readonly key: string } } }> }) => {
  for (const key of keysOf(event)) {
    const started = Date.now();
    const outcome = await validateUpload({ s3, bucket, maxUploadBytes: config.media.maxUploadBytes, run: (e) => runtime.runPromise(e as Effect.Effect<never, never, never>) }, key);
    log(outcome.status === "rejected" ? "warn" : "info", "upload validated", { key, ...outcome, ms: Date.now() - started });
  }
};
