import { Effect, Either, Option } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { listedProductWithImages, ProductImageStore, removeImage, type ProductId } from "../../domain/index.js";
import { dynamoStores } from "../../adapters/dynamodb/layer.js";
import { makeCapacityRecorder } from "../../adapters/dynamodb/capacity.js";
import { bothStores } from "../support/both-stores.js";
import { deleteTable, freshTable } from "../support/dynamo.js";
import { makeTestApi } from "../http/support.js";
import { type Gallery, openGallery } from "./gallery.js";

const galleries: Array<Gallery> = [];
afterAll(() => Promise.all(galleries.map((g) => g.dispose())));

describe.each(Object.entries(bothStores()))("a product page's read (%s)", (_, makeStores) => {
  const open = async () => {
    const g = await openGallery(await makeStores());
    galleries.push(g);
    return g;
  };
  const read = (g: Gallery, p: ProductId) => g.run(Effect.flatMap(ProductImageStore, (s) => s.withImages(p)));

  it("is the product and its images as last committed, in their order", async () => {
    const g = await open();
    const p = await g.product("p-page");
    const [a, b, c] = [await g.upload(p), await g.upload(p), await g.upload(p)];
    await g.run(removeImage(p, b.id));
    const page = Option.getOrThrow(await read(g, p));
    expect(page.product.id).toBe(p);
    expect(page.images).toEqual([a, c]);
    expect(page.images).toEqual((await g.state(p)).images);
  });

  it("of a product that never had an image shows none; of a missing product is none", async () => {
    const g = await open();
    const p = await g.product("p-bare");
    expect(Option.getOrThrow(await read(g, p)).images).toEqual([]);
    expect(Option.isNone(await read(g, "p-absent" as ProductId))).toBe(true);
  });

  it("of a neighbour never shows another product's images (one partition each, even for ids that share a prefix)", async () => {
    const g = await open();
    const [p, q] = [await g.product("p-n"), await g.product("p-n1")];
    const shown = await g.upload(q);
    expect(Option.getOrThrow(await read(g, p)).images).toEqual([]);
    expect(Option.getOrThrow(await read(g, q)).images).toEqual([shown]);
  });

  it("is not found for an archived product, and found again once it is listed", async () => {
    const g = await open();
    const p = await g.product("p-archived");
    const image = await g.upload(p);
    await g.archive(p);
    expect(Either.getLeft(await g.either(listedProductWithImages(p)))).toEqual(Option.some(expect.objectContaining({ _tag: "ProductNotFound", productId: p })));
    await g.archive(p, false);
    expect((await g.run(listedProductWithImages(p))).images).toEqual([image]);
  });
});

describe("GET /api/products/:id on DynamoDB Local", () => {
  it("costs one store request, the product and its images together", async () => {
    const table = await freshTable();
    const metrics = makeCapacityRecorder();
    const api = await makeTestApi({ stores: dynamoStores({ client: table.client, tableName: table.tableName, metrics }) });
    try {
      const p = await api.product();
      metrics.reset();
      const res = await api.request({ method: "GET", url: `/api/products/${p.id}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: p.id, images: [] });
      expect([...metrics.totals()].map(([operation, t]) => [operation, t.calls])).toEqual([["ProductImageStore.withImages", 1]]);
    } finally {
      await api.close();
      await deleteTable(table);
    }
  });
});
