import { Effect, Either } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { EventLog, type ImageId, ProductImageStore, removeImage, sweepImages, uploadSettleGraceMs, uploadStatus } from "../../domain/index.js";
import { bothStores } from "../support/both-stores.js";
import { dayMs, type Gallery, imageOf, openGallery, retentionMs } from "./gallery.js";

const galleries: Array<Gallery> = [];
afterAll(() => Promise.all(galleries.map((g) => g.dispose())));

describe.each(Object.entries(bothStores()))("sweepImages (%s)", (_, makeStores) => {
  const open = async () => {
    const g = await openGallery(await makeStores());
    galleries.push(g);
    return g;
  };
  const sweep = (g: Gallery) => g.run(sweepImages(100, { archivedRetentionMs: retentionMs }));

  it("deletes a removed image's folder only, and drops what was owed (invariant: no file a product shows is deleted)", async () => {
    const g = await open();
    const p = await g.product("p-remove");
    const intents = [];
    for (let i = 0; i < 10; i++) intents.push(await g.intent(p));
    // u-1's folder is a prefix of u-10's name: only the trailing slash keeps u-10's files.
    const [first, tenth] = [imageOf(intents[0]!), imageOf(intents[9]!)];
    expect([first.id, tenth.id]).toEqual(["u-1", "u-10"]);
    for (const i of [intents[0]!, intents[9]!]) await g.validate(i);
    await g.run(removeImage(p, first.id));
    expect((await g.state(p)).filesDue.map((d) => d.imageId)).toEqual([first.id]);
    expect(await sweep(g)).toMatchObject({ deleted: 1, files: 2, failed: 0 });
    expect(g.folderOf(p, first.id)).toEqual([]);
    expect((await g.state(p)).images.map((i) => i.id)).toEqual([tenth.id]);
    expect(g.folderOf(p, tenth.id)).toHaveLength(2);
    expect((await g.state(p)).filesDue).toEqual([]);
    // Sparse: a product that owes nothing is no longer listed.
    expect(await g.run(Effect.flatMap(ProductImageStore, (st) => st.listFilesDue(10)))).toEqual([]);
    expect(await sweep(g)).toMatchObject({ deleted: 0, files: 0 });
  });

  it("keeps an archived product's images for the retention, then takes them off and deletes their files; a listed product keeps them", async () => {
    const g = await open();
    const [archived, listed] = [await g.product("p-archived"), await g.product("p-listed")];
    const [gone, kept] = [await g.upload(archived), await g.upload(listed)];
    await g.archive(archived);
    g.clock.advance(retentionMs - dayMs);
    expect(await sweep(g)).toMatchObject({ archived: 0, deleted: 0 });
    expect((await g.state(archived)).images).toHaveLength(1);
    g.clock.advance(2 * dayMs);
    expect(await sweep(g)).toMatchObject({ archived: 1, deleted: 1, files: 2 });
    expect(await g.state(archived)).toMatchObject({ images: [], filesDue: [] });
    expect(g.folderOf(archived, gone.id)).toEqual([]);
    expect((await g.state(listed)).images.map((i) => i.id)).toEqual([kept.id]);
    expect(g.folderOf(listed, kept.id)).toHaveLength(2);
  });

  it("lets an unarchive between the sweep's read and its write win: nothing is taken (invariant: a listed product's images stay)", async () => {
    const g = await open();
    const p = await g.product("p-race");
    const image = await g.upload(p);
    await g.archive(p);
    g.clock.advance(retentionMs + dayMs);
    g.window.armed = () => g.archive(p, false);
    expect(await sweep(g)).toMatchObject({ archived: 0, skipped: 1, deleted: 0 });
    expect(g.window.armed).toBeUndefined();
    expect((await g.state(p)).images.map((i) => i.id)).toEqual([image.id]);
    expect(g.folderOf(p, image.id)).toHaveLength(2);
  });

  it("keeps an admin's remove made inside the sweep's delete window: the drop is refused, the next run deletes it", async () => {
    const g = await open();
    const p = await g.product("p-window");
    const [first, second] = [await g.upload(p), await g.upload(p)];
    await g.run(removeImage(p, first.id));
    g.window.armed = () => g.run(removeImage(p, second.id));
    expect(await sweep(g)).toMatchObject({ deleted: 1, skipped: 1 });
    expect((await g.state(p)).filesDue.map((d) => d.imageId).sort()).toEqual([first.id, second.id].sort());
    expect(await sweep(g)).toMatchObject({ deleted: 2, skipped: 0 });
    expect(await g.state(p)).toMatchObject({ images: [], filesDue: [] });
    expect([...g.files].filter((k) => k.startsWith(`images/${p}/`))).toEqual([]);
  });

  it("lets an attach inside the expiry's window win: the upload is ready and shown, nothing owed, nothing deleted", async () => {
    const g = await open();
    const p = await g.product("p-attach-race");
    const i = await g.intent(p);
    g.clock.advance(5 * 60_000 + uploadSettleGraceMs + 1);
    g.window.armed = () => g.validate(i);
    expect(await sweep(g)).toMatchObject({ expired: 0, skipped: 1, deleted: 0 });
    expect(await g.run(uploadStatus(i.id))).toMatchObject({ status: "ready" });
    expect(await g.state(p)).toMatchObject({ images: [{ id: i.id }], filesDue: [] });
    expect(g.folderOf(p, i.id)).toHaveLength(2);
  });

  it("rejects an upload never made only once its form expired and the grace passed, with its event, owing its folder", async () => {
    const g = await open();
    const p = await g.product("p-expire");
    const pending = await g.intent(p);
    g.clock.advance(5 * 60_000 + uploadSettleGraceMs - 1);
    expect(await sweep(g)).toMatchObject({ expired: 0 });
    expect(await g.run(uploadStatus(pending.id))).toMatchObject({ status: "pending" });
    g.clock.advance(2);
    expect(await sweep(g)).toMatchObject({ expired: 1, deleted: 1, files: 0 });
    expect(await g.run(uploadStatus(pending.id))).toMatchObject({ status: "rejected", reason: "expired" });
    const events = await g.run(Effect.flatMap(EventLog, (log) => log.list({ type: "ProductImageRejected", limit: 10 })));
    expect(events.items).toEqual([expect.objectContaining({ uploadId: pending.id, reason: "expired" })]);
    // Settled, it left the pending index: the next run does not find it again.
    expect(await sweep(g)).toMatchObject({ expired: 0, deleted: 0, skipped: 0 });
  });

  it("owes the files of a validator run that finds its upload expired under it, and the next sweep deletes them (invariant: every file is shown or owed)", async () => {
    const g = await open();
    const p = await g.product("p-late");
    const late = await g.intent(p);
    g.clock.advance(5 * 60_000 + uploadSettleGraceMs + 1);
    await sweep(g);
    const attached = await g.validate(late);
    expect(Either.isLeft(attached) && attached.left._tag).toBe("ProductImageUploadSettled");
    expect((await g.state(p)).filesDue.map((d) => d.imageId)).toEqual([late.id]);
    expect(await sweep(g)).toMatchObject({ deleted: 1, files: 2 });
    expect(g.folderOf(p, late.id)).toEqual([]);
  });

  it("owes nothing for a duplicate validator run whose twin attached the image (regression guard: the shown image's files stay)", async () => {
    const g = await open();
    const p = await g.product("p-twin");
    const i = await g.intent(p);
    expect(Either.isRight(await g.validate(i))).toBe(true);
    const twin = await g.validate(i);
    expect(Either.isLeft(twin) && twin.left._tag).toBe("ProductImageUploadSettled");
    expect((await g.state(p)).filesDue).toEqual([]);
    await sweep(g);
    expect(g.folderOf(p, i.id)).toHaveLength(2);
  });

  it("rejects an image past the product's limit with its variants owed in the same write, and deletes them", async () => {
    const g = await open();
    const p = await g.product("p-full");
    const intents = [];
    for (let n = 0; n < 13; n++) intents.push(await g.intent(p)); // 13 forms requested before any file arrived
    for (const i of intents.slice(0, 12)) await g.validate(i);
    const over = await g.validate(intents[12]!);
    expect(over).toEqual(Either.right({ status: "rejected", reason: "image_limit" }));
    expect((await g.state(p)).filesDue.map((d) => d.imageId)).toEqual([intents[12]!.id]);
    expect(await sweep(g)).toMatchObject({ deleted: 1, files: 2 });
    expect((await g.state(p)).images).toHaveLength(12);
  });

  it("keeps a deletion the bucket refused owed, and makes it on the next run (invariant: nothing is dropped before its files are gone)", async () => {
    const g = await open();
    const p = await g.product("p-down");
    const image = await g.upload(p);
    await g.run(removeImage(p, image.id));
    g.setFailing(true);
    expect(await sweep(g)).toMatchObject({ deleted: 0, failed: 1 });
    expect((await g.state(p)).filesDue.map((d) => d.imageId)).toEqual([image.id]);
    expect(g.folderOf(p, image.id)).toHaveLength(2);
    g.setFailing(false);
    expect(await sweep(g)).toMatchObject({ deleted: 1, failed: 0 });
    expect(g.folderOf(p, image.id)).toEqual([]);
  });

  it("drops a stray entry owing an image the product shows without deleting a file of it", async () => {
    const g = await open();
    const p = await g.product("p-stray");
    const image = await g.upload(p);
    const { version, images } = await g.state(p);
    await g.run(Effect.flatMap(ProductImageStore, (s) => s.replaceImages(p, { next: { images, filesDue: [{ imageId: image.id as ImageId, since: g.clock.now() }] }, expectedVersion: version })));
    expect(await sweep(g)).toMatchObject({ deleted: 0 });
    expect(await g.state(p)).toMatchObject({ images: [{ id: image.id }], filesDue: [] });
    expect(g.folderOf(p, image.id)).toHaveLength(2);
  });

  it("lists the products that owe files longest owed first, and only pending intents past a time", async () => {
    const g = await open();
    const [a, b] = [await g.product("p-owe-a"), await g.product("p-owe-b")];
    const [ia, ib] = [await g.upload(a), await g.upload(b)];
    await g.run(removeImage(b, ib.id));
    g.clock.advance(1000);
    await g.run(removeImage(a, ia.id));
    expect(await g.run(Effect.flatMap(ProductImageStore, (s) => s.listFilesDue(10)))).toEqual([b, a]);
    const pending = await g.intent(a);
    const store = (before: number) => g.run(Effect.flatMap(ProductImageStore, (s) => s.listExpiredIntents(before, 10)));
    expect(await store(pending.expiresAt)).toEqual([]);
    expect((await store(pending.expiresAt + 1)).map((i) => i.id)).toEqual([pending.id]);
  });
});
