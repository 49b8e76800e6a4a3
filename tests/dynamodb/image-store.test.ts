import { Effect, Either, type Layer, ManagedRuntime } from "effect";
import { describe, expect, it } from "vitest";
import { type Clock, createProduct, EventLog, type IdGenerator, type ImageId, type ProductId, type ProductImage, ProductImageStore, type UploadId, type UploadIntent } from "../../domain/index.js";
import { SequentialIds } from "../../adapters/memory/layer.js";
import { SystemClock } from "../../adapters/system.js";
import type { StoreServices } from "../../adapters/http/runtime.js";
import { bothStores } from "../support/both-stores.js";

const image = (id: string): ProductImage => ({ id: id as ImageId, alt: "a", width: 800, height: 600, variants: [{ width: 800, height: 600, key: `images/p/${id}-800.webp` }] });
const intent = (id: string, productId: string): UploadIntent => ({ id: id as UploadId, productId: productId as ProductId, contentType: "image/png", alt: "a", expiresAt: 1_900_000_000_000 as UploadIntent["expiresAt"], status: "pending" });
const event = (i: UploadIntent) => ({ type: "ProductImageAdded" as const, eventId: `upload:${i.id}`, version: 1 as const, occurredAt: 1 as UploadIntent["expiresAt"], productId: i.productId, uploadId: i.id, image: image(i.id) });

describe.each(Object.entries(bothStores()))("ProductImageStore.settle (%s)", (_, makeStores) => {
  const withStores = async () => {
    const runtime = ManagedRuntime.make((await makeStores()) as Layer.Layer<StoreServices>);
    const run = <A, E>(e: Effect.Effect<A, E, StoreServices | Clock | IdGenerator>) => runtime.runPromise(Effect.either(e.pipe(Effect.provide(SystemClock), Effect.provide(SequentialIds("i")))));
    return { run, store: <A, E>(f: (s: typeof ProductImageStore.Service) => Effect.Effect<A, E>) => run(Effect.flatMap(ProductImageStore, f)) };
  };

  it("attaches once: the intent, the images and the event in one write; a duplicate settles nothing (invariant: one image, one event)", async () => {
    const { run, store } = await withStores();
    await run(createProduct({ id: "p1" as ProductId, name: "P", category: "tea", price: { amount: 1, currency: "EUR" } as never, stock: 1 }));
    const i = intent("u1", "p1");
    await store((s) => s.createIntent(i));
    const first = await store((s) => s.settle({ intent: { ...i, status: "ready" }, images: { next: { images: [image("u1")], filesDue: [] }, expectedVersion: 0 }, event: event(i) }));
    expect(Either.isRight(first)).toBe(true);
    const again = await store((s) => s.settle({ intent: { ...i, status: "ready" }, images: { next: { images: [image("u1"), image("u1")], filesDue: [] }, expectedVersion: 1 }, event: event(i) }));
    expect(Either.isLeft(again) && again.left._tag).toBe("ProductImageUploadSettled");
    expect(await store((s) => s.images("p1" as ProductId))).toEqual(Either.right({ images: [image("u1")], filesDue: [], version: 1 }));
    const events = await run(Effect.flatMap(EventLog, (log) => log.list({ type: "ProductImageAdded", limit: 10 })));
    expect(Either.isRight(events) && events.right.items.map((e) => e.eventId)).toEqual(["upload:u1"]);
  });

  it("refuses images written at a stale version, and a product that does not exist, leaving the intent pending", async () => {
    const { run, store } = await withStores();
    await run(createProduct({ id: "p2" as ProductId, name: "P", category: "tea", price: { amount: 1, currency: "EUR" } as never, stock: 1 }));
    const i = intent("u2", "p2");
    await store((s) => s.createIntent(i));
    await store((s) => s.replaceImages("p2" as ProductId, { next: { images: [image("x")], filesDue: [] }, expectedVersion: 0 }));
    const stale = await store((s) => s.settle({ intent: { ...i, status: "ready" }, images: { next: { images: [image("u2")], filesDue: [] }, expectedVersion: 0 }, event: event(i) }));
    expect(Either.isLeft(stale) && stale.left._tag).toBe("ProductImagesChanged");
    const gone = intent("u3", "nope");
    await store((s) => s.createIntent(gone));
    const missing = await store((s) => s.settle({ intent: { ...gone, status: "ready" }, images: { next: { images: [image("u3")], filesDue: [] }, expectedVersion: 0 }, event: event(gone) }));
    expect(Either.isLeft(missing) && missing.left._tag).toBe("ProductNotFound");
    expect(await store((s) => s.getIntent("u2"))).toMatchObject({ right: { value: { status: "pending" } } });
  });
});
