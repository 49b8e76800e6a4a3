/**
 * The image sweep: what makes images' files go when nothing shows them any more. Every deletion is driven by a
 * committed record (a product's `filesDue`), written with the change that made the files unneeded: an admin's
 * remove, an archived product past its retention, an upload rejected or expired after its variants may have been
 * written. The sweep deletes each owed image's folder, then drops the entry (version-checked): a sweep that dies
 * half-way deletes again next run, which changes nothing.
 */
import { Effect, Either } from "effect";
import type { ProductId } from "../shared/ids.js";
import { Clock } from "../shared/ports.js";
import { ProductStore } from "../inventory/ports.js";
import { ImageOps, type ImageId, type UploadIntent } from "./image.js";
import { MediaFiles, ProductImageStore } from "./ports.js";
import { imageIdOf, settleRejected } from "./use-cases.js";

/**
 * A pending upload is expired this long after its form did: by then no validator run for it can be running or be
 * retried (infra/media.ts keeps an event at most an hour and a run at most 15 minutes), so none can write after the
 * sweep has deleted its folder.
 */
export const uploadSettleGraceMs = 2 * 60 * 60 * 1000;

export interface ImageSweepPolicy {
  /** How long an archived product keeps its images, so that unarchiving it restores them; then they are taken off and deleted. */
  readonly archivedRetentionMs: number;
}

export interface ImageSweepReport {
  /** Pending uploads past their form's expiry (and the grace), rejected as `expired`. */
  readonly expired: number;
  /** Archived products past the retention whose images were taken off. */
  readonly archived: number;
  /** Images whose folder was deleted, and how many files those held. */
  readonly deleted: number;
  readonly files: number;
  /** Writes that found what they read changed (a validator, an admin, an unarchive got there first): the next run looks again. */
  readonly skipped: number;
  /** Deletions the bucket refused or did not answer: still owed, retried next run. */
  readonly failed: number;
}

const clockNow = Effect.flatMap(Clock, (c) => c.now);

/** Rejects one expired pending upload as `expired`, owing whatever the validator may have written for it. */
const expireUpload = (intent: UploadIntent) =>
  Effect.gen(function* () {
    const now = yield* clockNow;
    const { version, ...state } = yield* Effect.flatMap(ProductImageStore, (s) => s.images(intent.productId));
    const next = { images: state.images, filesDue: ImageOps.owe(state.filesDue, imageIdOf(intent), now) };
    yield* settleRejected(intent, "expired", now, { next, expectedVersion: version });
  }).pipe(
    Effect.retry({ times: 3, while: (e) => e._tag === "ProductImagesChanged" }),
    // No product to owe files on (none was ever written for it): the intent is still settled, so it is not found again.
    Effect.catchTag("ProductNotFound", () => Effect.flatMap(clockNow, (now) => settleRejected(intent, "expired", now))),
  );

/** Pending uploads whose form expired more than the grace ago: rejected (`expired`), their folder owed. */
export const expireUploads = (limit: number) =>
  Effect.gen(function* () {
    const now = yield* clockNow;
    const intents = yield* Effect.flatMap(ProductImageStore, (s) => s.listExpiredIntents(now - uploadSettleGraceMs, limit));
    let expired = 0;
    let skipped = 0;
    for (const intent of intents) {
      const done = yield* Effect.either(expireUpload(intent));
      if (Either.isRight(done)) expired++;
      else if (done.left._tag === "PersistenceUnavailable") return yield* done.left;
      else skipped++;
    }
    return { expired, skipped };
  });

/**
 * Archived products past the retention: their images are taken off and their files owed, in one write conditioned
 * on the product still being archived since the time read (an unarchive in between wins: nothing is taken).
 */
export const releaseArchivedImages = (limit: number, retentionMs: number) =>
  Effect.gen(function* () {
    const products = yield* ProductStore;
    const store = yield* ProductImageStore;
    const now = yield* clockNow;
    let archived = 0;
    let skipped = 0;
    let cursor: string | undefined;
    do {
      const page = yield* products.adminList({ archived: true, limit: 100, cursor }).pipe(Effect.catchTag("PaginationCursorInvalid", Effect.die));
      for (const product of page.items) {
        if (archived >= limit) return { archived, skipped };
        if (product.archivedAt === undefined || product.archivedAt > now - retentionMs) continue;
        const { version, ...state } = yield* store.images(product.id);
        if (state.images.length === 0) continue;
        const write = { next: ImageOps.release(state, now), expectedVersion: version, archivedAt: product.archivedAt };
        const done = yield* Effect.either(store.replaceImages(product.id, write));
        if (Either.isRight(done)) archived++;
        else if (done.left._tag === "PersistenceUnavailable") return yield* done.left;
        else skipped++;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return { archived, skipped };
  });

/** One product's owed folders deleted, then dropped from what it owes if nothing changed meanwhile. */
const deleteOwedFilesOf = (productId: ProductId) =>
  Effect.gen(function* () {
    const store = yield* ProductImageStore;
    const files = yield* MediaFiles;
    const { version, ...state } = yield* store.images(productId);
    const done: Array<ImageId> = [];
    let deleted = 0;
    let count = 0;
    let failed = 0;
    for (const due of state.filesDue) {
      // Never a file a product shows (an image owed is never shown again: this only drops a stray entry).
      if (!state.images.some((i) => i.id === due.imageId)) {
        const removed = yield* Effect.either(files.deleteImageFiles(productId, due.imageId));
        if (Either.isLeft(removed)) {
          failed++;
          continue;
        }
        deleted++;
        count += removed.right;
      }
      done.push(due.imageId);
    }
    if (done.length === 0) return { deleted, files: count, skipped: 0, failed };
    const next = { images: state.images, filesDue: state.filesDue.filter((d) => !done.includes(d.imageId)) };
    const dropped = yield* Effect.either(store.replaceImages(productId, { next, expectedVersion: version }));
    if (Either.isLeft(dropped) && dropped.left._tag === "PersistenceUnavailable") return yield* dropped.left;
    return { deleted, files: count, skipped: Either.isLeft(dropped) ? 1 : 0, failed };
  });

/** Deletes the files products owe, longest owed first, for at most `limit` products. */
export const deleteOwedFiles = (limit: number) =>
  Effect.gen(function* () {
    const owing = yield* Effect.flatMap(ProductImageStore, (s) => s.listFilesDue(limit));
    const total = { deleted: 0, files: 0, skipped: 0, failed: 0 };
    for (const productId of owing) {
      const one = yield* deleteOwedFilesOf(productId);
      total.deleted += one.deleted;
      total.files += one.files;
      total.skipped += one.skipped;
      total.failed += one.failed;
    }
    return total;
  });

/** The whole sweep, in the order that lets one run finish what it starts: expire, release archived, then delete. */
export const sweepImages = (limit: number, policy: ImageSweepPolicy) =>
  Effect.gen(function* () {
    const uploads = yield* expireUploads(limit);
    const archived = yield* releaseArchivedImages(limit, policy.archivedRetentionMs);
    const files = yield* deleteOwedFiles(limit);
    const report: ImageSweepReport = {
      expired: uploads.expired,
      archived: archived.archived,
      deleted: files.deleted,
      files: files.files,
      skipped: uploads.skipped + archived.skipped + files.skipped,
      failed: files.failed,
    };
    return report;
  });
