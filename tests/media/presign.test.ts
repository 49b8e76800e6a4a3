import { describe, expect, it } from "vitest";
import type { ProductId, UploadId, UploadIntent } from "../../domain/index.js";
import { makeS3 } from "../../adapters/media/s3.js";
import { presignUpload } from "../../adapters/media/presign.js";

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
