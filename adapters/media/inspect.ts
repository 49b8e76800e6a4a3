/** What the validator checks and makes from an uploaded file: bytes in, a rejection or re-encoded variants out. */
import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";
import type { ImageContentType, RejectionReason } from "../../domain/index.js";

export const imageLimits = {
  /** Width × height; sharp refuses to decode more (a pixel bomb is a tiny file with huge dimensions). */
  maxPixels: 40_000_000,
  maxSide: 10_000,
  minSide: 16,
  /** Variant widths in pixels, each made only when smaller than the original; the original size is always made. */
  widths: [200, 600, 1200] as const,
};

export interface Rendition {
  readonly width: number;
  readonly height: number;
  readonly bytes: Buffer;
  /** Content-addressed: the same pixels give the same name, so a key's bytes never change (immutable caching). */
  readonly name: string;
}

export type Inspection =
  | { readonly ok: false; readonly reason: RejectionReason; readonly detail: string }
  | { readonly ok: true; readonly width: number; readonly height: number; readonly renditions: ReadonlyArray<Rendition> };

const formats: Record<ImageContentType, { readonly mime: string; readonly sharp: string }> = {
  "image/jpeg": { mime: "image/jpeg", sharp: "jpeg" },
  "image/png": { mime: "image/png", sharp: "png" },
  "image/webp": { mime: "image/webp", sharp: "webp" },
};

const reject = (reason: RejectionReason, detail: string): Inspection => ({ ok: false, reason, detail });

const encode = async (input: sharp.Sharp, width: number | undefined): Promise<Rendition> => {
  const pipeline = width === undefined ? input.clone() : input.clone().resize({ width });
  // No withMetadata(): EXIF (GPS included), XMP, ICC comments and text chunks are dropped on re-encode.
  const { data, info } = await pipeline.webp({ quality: 82 }).toBuffer({ resolveWithObject: true });
  const hash = createHash("sha256").update(data).digest("hex").slice(0, 32);
  return { width: info.width, height: info.height, bytes: data, name: `${hash}-${info.width}.webp` };
};

/** Magic bytes against the declared type, size, dimensions and pixel count, then a full decode and re-encode. */
export const inspectImage = async (bytes: Buffer, declared: ImageContentType, maxBytes: number): Promise<Inspection> => {
  if (bytes.length > maxBytes) return reject("too_large", `${bytes.length} bytes; at most ${maxBytes}`);
  const detected = await fileTypeFromBuffer(bytes);
  if (detected === undefined) return reject("unsupported_type", "not a JPEG, PNG or WebP image");
  if (detected.mime !== formats[declared].mime) return reject("type_mismatch", `declared ${declared}, the bytes are ${detected.mime}`);
  const options = { limitInputPixels: imageLimits.maxPixels, failOn: "warning" as const };
  // The header only (no pixels decoded), so the pixel limit is judged here, with its own reason.
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata().catch(() => undefined);
  if (meta?.width === undefined || meta.height === undefined || meta.format !== formats[declared].sharp) return reject("undecodable", "the image header cannot be read");
  if (meta.width * meta.height > imageLimits.maxPixels) return reject("too_many_pixels", `${meta.width}×${meta.height}; at most ${imageLimits.maxPixels} pixels`);
  if (Math.max(meta.width, meta.height) > imageLimits.maxSide || Math.min(meta.width, meta.height) < imageLimits.minSide)
    return reject("dimensions_out_of_range", `${meta.width}×${meta.height}; each side ${imageLimits.minSide} to ${imageLimits.maxSide} px`);
  try {
    const oriented = sharp(bytes, options).rotate();
    const original = await encode(oriented, undefined);
    const smaller = imageLimits.widths.filter((w) => w < original.width);
    const renditions = [...(await Promise.all(smaller.map((w) => encode(oriented, w)))), original];
    return { ok: true, width: original.width, height: original.height, renditions };
  } catch (e) {
    return reject("undecodable", e instanceof Error ? e.message.slice(0, 200) : "decoding failed");
  }
};
