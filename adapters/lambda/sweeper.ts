/** Scheduled Lambda: releases expired stock holds so their units can be sold again. */
import { Layer, ManagedRuntime } from "effect";
import { releaseExpiredHolds, type ReleaseReport } from "../../domain/index.js";
import { loadSweeperConfig } from "../config.js";
import { SystemClock } from "../system.js";
import { coldStartConfig } from "./cold-start.js";
import { log } from "./log.js";
import { storesFor } from "./stores.js";

// Each release is one small transaction; 1000 fit well inside a minute, and the next run takes the rest.
const limitPerRun = 1000;

const config = coldStartConfig(() => loadSweeperConfig(process.env));
const runtime = ManagedRuntime.make(Layer.merge(storesFor({ ...config }), SystemClock));

export const handler = async (): Promise<ReleaseReport> => {
  const started = Date.now();
  const report = await runtime.runPromise(releaseExpiredHolds(limitPerRun));
  log("info", "released expired holds", { ...report, limit: limitPerRun, ms: Date.now() - started });
  return report;
};
