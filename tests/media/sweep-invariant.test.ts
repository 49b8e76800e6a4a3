/** The image sweep's invariant over generated histories of uploads, duplicates, late runs, removals, archives and sweeps. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ProductId, removeImage, sweepImages, type UploadIntent, uploadSettleGraceMs } from "../../domain/index.js";
import { memoryStores } from "../../adapters/memory/layer.js";
import { dayMs, type Gallery, openGallery, retentionMs } from "./gallery.js";

const products = ["p-a", "p-b"] as ProductId[];
type Op =
  | { readonly kind: "upload" | "form" | "archive" | "unarchive"; readonly p: number }
  | { readonly kind: "late" | "duplicate" | "remove"; readonly p: number; readonly n: number }
  | { readonly kind: "advance"; readonly hours: number }
  | { readonly kind: "sweep" | "bucketDown" | "bucketUp" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom("upload" as const, "form" as const), p: fc.nat(1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom("archive" as const, "unarchive" as const), p: fc.nat(1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom("late" as const, "duplicate" as const, "remove" as const), p: fc.nat(1), n: fc.nat(12) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), hours: fc.constantFrom(1, 3, 24 * 31) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom("sweep" as const, "bucketDown" as const, "bucketUp" as const) }) },
);

/** Every file in the bucket is in the folder of an image its product shows or owes; every shown image has its files. */
const check = async (g: Gallery) => {
  for (const p of products) {
    const { images, filesDue } = await g.state(p);
    for (const image of images) for (const v of image.variants) expect(g.files.has(v.key), `${v.key} is shown but missing`).toBe(true);
    const accounted = new Set([...images.map((i) => i.id as string), ...filesDue.map((d) => d.imageId as string)]);
    for (const key of g.files) if (key.startsWith(`images/${p}/`)) expect(accounted.has(key.split("/")[2]!), `${key} is neither shown nor owed`).toBe(true);
  }
};

const apply = async (g: Gallery, o: Op, forms: Map<ProductId, UploadIntent[]>, validated: UploadIntent[]) => {
  const pick = <A>(list: ReadonlyArray<A>, n: number) => (list.length === 0 ? undefined : list[n % list.length]);
  switch (o.kind) {
    case "upload":
    case "form": {
      const p = products[o.p]!;
      const made = await g.intent(p).catch(() => undefined); // refused when the product has its 12 images
      if (made === undefined) return;
      if (o.kind === "form") forms.set(p, [...(forms.get(p) ?? []), made]);
      else (await g.validate(made), validated.push(made));
      return;
    }
    case "late": {
      const intent = pick(forms.get(products[o.p]!) ?? [], o.n);
      if (intent) (await g.validate(intent), validated.push(intent));
      return;
    }
    case "duplicate": {
      const intent = pick(validated, o.n);
      if (intent) await g.validate(intent);
      return;
    }
    case "remove": {
      const p = products[o.p]!;
      const shown = pick((await g.state(p)).images, o.n);
      if (shown) await g.either(removeImage(p, shown.id));
      return;
    }
    case "archive":
    case "unarchive":
      return void (await g.archive(products[o.p]!, o.kind === "archive"));
    case "advance":
      return g.clock.advance(o.hours * 60 * 60 * 1000);
    case "sweep":
      return void (await g.run(sweepImages(100, { archivedRetentionMs: retentionMs })));
    case "bucketDown":
    case "bucketUp":
      return g.setFailing(o.kind === "bucketDown");
  }
};

describe("sweepImages over generated histories (memory)", () => {
  it("leaves every file shown or owed after each step, every shown image whole, and once settled only shown files (invariant: no orphan, no broken image)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        const g = await openGallery(memoryStores());
        try {
          for (const p of products) await g.product(p);
          const forms = new Map<ProductId, UploadIntent[]>();
          const validated: UploadIntent[] = [];
          for (const o of ops) {
            await apply(g, o, forms, validated);
            await check(g);
          }
          g.setFailing(false);
          g.clock.advance(Math.max(retentionMs, uploadSettleGraceMs) + dayMs);
          for (let i = 0; i < 2; i++) await g.run(sweepImages(100, { archivedRetentionMs: retentionMs }));
          await check(g);
          for (const p of products) {
            const { images, filesDue } = await g.state(p);
            expect(filesDue).toEqual([]);
            const shown = new Set(images.flatMap((i) => i.variants.map((v) => v.key)));
            for (const key of g.files) if (key.startsWith(`images/${p}/`)) expect(shown.has(key), `${key} outlived the sweep`).toBe(true);
          }
        } finally {
          await g.dispose();
        }
      }),
      {
        numRuns: 200,
        // A validator run that finds its upload expired by the sweep under it must owe what it wrote (found by removing that owe).
        examples: [[[{ kind: "form", p: 0 }, { kind: "advance", hours: 3 }, { kind: "sweep" }, { kind: "late", p: 0, n: 0 }]]],
      },
    );
  });
});
