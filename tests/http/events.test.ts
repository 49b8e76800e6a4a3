import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Product } from "../../domain/index.js";
import { eur, makeTestApi, problemOf, type Caller, type TestApi } from "./support.js";

let api: TestApi;
let admin: Caller;
let shopper: Caller;
let tea: Product;
beforeEach(async () => {
  api = await makeTestApi();
  admin = await api.user("admin");
  shopper = await api.user();
  tea = await api.product({ stock: 6, price: eur(450) });
});
afterEach(() => api.close());

const events = (query = "", caller = admin) => api.request({ url: `/api/admin/events${query}`, headers: caller.headers });
const checkout = async () => {
  await api.request({ method: "POST", url: "/api/cart/items", headers: shopper.headers, payload: { productId: tea.id, quantity: 2 } });
  return (await api.request({ method: "POST", url: "/api/orders", headers: { ...shopper.headers, "idempotency-key": "events-key-1" } })).json() as { id: string };
};

describe("GET /api/admin/events", () => {
  it("lists what was committed newest first, each event as it goes on the bus, filtered by type or by order", async () => {
    const order = await checkout();
    await api.request({ method: "POST", url: `/api/admin/orders/${order.id}/status`, headers: admin.headers, payload: { status: "paid" } });

    const all = (await events()).json();
    expect(all.items.map((e: { type: string }) => e.type)).toEqual(["OrderPaid", "OrderPlaced", "StockLow"]);
    expect(all.items[1]).toMatchObject({
      type: "OrderPlaced",
      version: 1,
      eventId: `${order.id}:1`,
      orderId: order.id,
      customerId: shopper.userId,
      sequence: 1,
      occurredAt: new Date(api.clock.now()).toISOString(),
      order: { status: "placed", total: eur(900), lines: [{ productId: tea.id, quantity: 2 }] },
    });
    expect(all.items[2]).toMatchObject({ type: "StockLow", products: [{ productId: tea.id, available: 4, threshold: 5 }] });
    expect((await events(`?orderId=${order.id}&limit=1`)).json()).toMatchObject({ items: [{ type: "OrderPaid", sequence: 2 }], nextCursor: expect.any(String) });
    expect((await events("?type=OrderPlaced")).json().items).toHaveLength(1);
  });

  it("refuses a type and an order together with 400 naming orderId, and is admin-only", async () => {
    expect(problemOf(await events("?type=OrderPaid&orderId=o-1"))).toMatchObject({ status: 400, field: "orderId", in: "query" });
    expect(problemOf(await events("?type=Nope"))).toMatchObject({ status: 400, field: "type" });
    expect(problemOf(await events("", shopper))).toMatchObject({ status: 403 });
  });
});
