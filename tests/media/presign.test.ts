import { describe, expect, it } from "vitest";
import type { ProductId, UploadId, UploadIntent } from "../../domain/index.js";
import { makeS3 } from "../../adapters/media/s3.js";
import { presignUpload } from "../../adapters/media/presign.js";
import { mediaUploads } from "../../adapters/media/uploads.js";
import type { MediaSettings } from "../../adapters/media/settings.js";

const intent = { id: "u1" as UploadId, productId: "tea-sencha" as ProductId, contentType: "image/png", alt: "x", expiresAt: 0, status: "pending" } as UploadIntent;
const settings = { bucket: "cartwright-media-test", maxUploadBytes: 10 * 1024 * 1024, uploadTtlSeconds: 300 };

describe("presignUpload", () => {
  it("signs a policy that bounds the size, fixes the type and the server's key under incoming/, and expires within the TTL", async () => {
    const started = Date.now();
    const form = await presignUpload(makeS3("http://127.0.0.1:9"), settings, intent);
    const policy = JSON.parse(Buffer.from(form.fields["Policy"]!, "base64").toString("utf8")) as { expiration: string; conditions: Array<unknown> };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ["content-length-range", 1, settings.maxUploadBytes],
        ["eq", "$Content-Type", "image/png"],
        ["eq", "$key", "incoming/tea-sencha/u1"],
        { bucket: settings.bucket },
      ]),
    );
    const expires = Date.parse(policy.expiration) - started;
    expect(expires).toBeGreaterThan(290_000);
    expect(expires).toBeLessThanOrEqual(301_000);
    expect(form.fields).toMatchObject({ key: "incoming/tea-sencha/u1", "Content-Type": "image/png" });
  });

  it("carries no checksum a browser's form could not match (SDK ≥ 3.729 default: an empty-body CRC32; the client says WHEN_REQUIRED)", async () => {
    const s3 = makeS3("http://127.0.0.1:9");
    expect(await s3.config.requestChecksumCalculation()).toBe("WHEN_REQUIRED");
    const form = await presignUpload(s3, settings, intent);
    expect(Object.keys(form.fields).filter((f) => /checksum/i.test(f))).toEqual([]);
    expect(Buffer.from(form.fields["Policy"]!, "base64").toString("utf8")).not.toMatch(/checksum/i);
  });
});

describe("mediaUploads (the API's uploads)", () => {
  const configured: MediaSettings = { ...settings, baseUrl: "https://cdn.example", archivedRetentionDays: 30, endpoint: "http://127.0.0.1:9" };

  it("is absent without a bucket (uploads answer 503 uploads_disabled)", () => {
    expect(mediaUploads({ ...configured, bucket: undefined })).toBeUndefined();
  });

  it("signs each upload's form for the configured bucket, the signer loaded once on the first upload", async () => {
    const uploads = mediaUploads(configured)!;
    const [first, second] = await Promise.all([uploads.presign(intent), uploads.presign({ ...intent, id: "u2" as UploadId })]);
    for (const [form, key] of [[first, "incoming/tea-sencha/u1"], [second, "incoming/tea-sencha/u2"]] as const) {
      const policy = JSON.parse(Buffer.from(form.fields["Policy"]!, "base64").toString("utf8")) as { conditions: Array<unknown> };
      expect(policy.conditions).toEqual(expect.arrayContaining([["eq", "$key", key], { bucket: settings.bucket }]));
    }
  });
});
