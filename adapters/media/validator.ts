/**
 * The validation function: one S3 ObjectCreated record under `incoming/` in, the upload's intent settled out.
 * Listens on `incoming/` only and writes under `images/`, so its own writes never trigger it.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Effect, Either } from "effect";
import { attachImage, type ImageId, imageFolder, pendingIntent, type ProductImage, rejectUpload, uploadIdOfKey } from "../../domain/index.js";
import type { AppServices } from "../http/runtime.js";
import { inspectImage } from "./inspect.js";

export interface ValidatorDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly maxUploadBytes: number;
  readonly run: <A, E>(effect: Effect.Effect<A, E, AppServices>) => Promise<A>;
}

export type Outcome =
  | { readonly status: "ready"; readonly imageId: string }
  | { readonly status: "rejected"; readonly reason: string; readonly detail?: string }
  | { readonly status: "ignored"; readonly why: string };

const read = async (deps: ValidatorDeps, key: string): Promise<Buffer | "too_large" | undefined> => {
  const object = await deps.s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: key })).catch((e: { name?: string }) => {
    if (e.name === "NoSuchKey") return undefined;
    throw e;
  });
  if (!object?.Body) return undefined;
  // The POST policy already bounds the size; this guards against a policy that was not enforced (the emulator).
  if ((object.ContentLength ?? 0) > deps.maxUploadBytes) return "too_large";
  return Buffer.from(await object.Body.transformToByteArray());
};

const remove = (deps: ValidatorDeps, key: string) => deps.s3.send(new DeleteObjectCommand({ Bucket: deps.bucket, Key: key }));

/**
 * A store that did not answer (or kept losing to other writes) has refused nothing: the invocation fails before the
 * upload is deleted, and S3 retries the event, which finds the upload and the intent as they were.
 */
const unlessTransient = <A, E extends { readonly _tag: string }>(result: Either.Either<A, E>): Either.Either<A, E> => {
  if (Either.isLeft(result) && (result.left._tag === "PersistenceUnavailable" || result.left._tag === "ProductImagesChanged")) throw result.left;
  return result;
};

/** Validates one uploaded object. Idempotent: a duplicate event finds the intent settled and only deletes the upload. */
export const validateUpload = async (deps: ValidatorDeps, key: string): Promise<Outcome> => {
  const ids = uploadIdOfKey(key);
  if (!ids) return { status: "ignored", why: "not an upload key" };
  const intent = unlessTransient(await deps.run(Effect.either(pendingIntent(ids.uploadId))));
  if (intent._tag === "Left" || intent.right.productId !== ids.productId) {
    await remove(deps, key);
    return { status: "ignored", why: "no pending upload for this key (a duplicate event, or a key nobody was given)" };
  }
  const bytes = await read(deps, key);
  if (bytes === undefined) return { status: "ignored", why: "the object is gone" };
  const inspection = bytes === "too_large" ? ({ ok: false, reason: "too_large", detail: "" } as const) : await inspectImage(bytes, intent.right.contentType, deps.maxUploadBytes);
  if (!inspection.ok) {
    // The intent records why first; the file goes after (a retry finds the intent settled and deletes it then).
    unlessTransient(await deps.run(Effect.either(rejectUpload(intent.right, inspection.reason))));
    await remove(deps, key);
    return { status: "rejected", reason: inspection.reason, detail: inspection.detail };
  }
  // Variants are written before the attach that names them, so a shopper never sees a missing file; if the attach
  // is refused they are owed a deletion (in the rejection's write, or right after), and the image sweep deletes them.
  // Each image has its own folder: deleting one image's files never touches another's, even with the same pixels.
  const folder = imageFolder(ids.productId, intent.right.id);
  await Promise.all(
    inspection.renditions.map((r) =>
      deps.s3.send(
        new PutObjectCommand({ Bucket: deps.bucket, Key: `${folder}${r.name}`, Body: r.bytes, ContentType: "image/webp", CacheControl: "public, max-age=31536000, immutable" }),
      ),
    ),
  );
  const image: ProductImage = {
    id: intent.right.id as string as ImageId,
    alt: intent.right.alt,
    width: inspection.width,
    height: inspection.height,
    variants: inspection.renditions.map((r) => ({ width: r.width, height: r.height, key: `${folder}${r.name}` })) as unknown as ProductImage["variants"],
  };
  const settled = unlessTransient(await deps.run(Effect.either(attachImage(intent.right, image))));
  await remove(deps, key);
  if (settled._tag === "Left") return { status: "ignored", why: settled.left._tag };
  return settled.right.status === "ready" ? { status: "ready", imageId: image.id } : { status: "rejected", reason: settled.right.reason };
};

/** The keys of an S3 event's records (URL-encoded by S3, `+` for spaces). */
export const keysOf = (event: { readonly Records?: ReadonlyArray<{ readonly s3: { readonly object: { readonly key: string } } }> }): ReadonlyArray<string> =>
  (event.Records ?? []).map((r) => decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")));
