/** What every identity provider gives the API alike: the shared part of the HTTP contract, run with tokens from each. */
import { describe, expect, it } from "vitest";
import type { TestApi } from "../http/support.js";
import { eur, problemOf } from "../http/support.js";

export interface TokenSource {
  readonly api: () => TestApi;
  /** A signed-in customer's bearer token and user id. */
  readonly customer: () => Promise<{ readonly token: string; readonly userId: string }>;
  readonly admin: () => Promise<string>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const identityContract = (provider: string, source: TokenSource): void => {
  describe(`Identity.verify (${provider})`, () => {
    it("lets a customer read themselves, hold stock in their own cart and place an order", async () => {
      const api = source.api();
      const { token, userId } = await source.customer();
      const tea = await api.product({ stock: 3, price: eur(450) });
      expect((await api.request({ method: "GET", url: "/auth/me", headers: bearer(token) })).json()).toMatchObject({ id: userId, role: "customer" });
      const added = await api.request({ method: "POST", url: "/api/cart/items", headers: bearer(token), payload: { productId: tea.id, quantity: 2 } });
      expect(added.statusCode).toBe(200);
      const order = await api.request({ method: "POST", url: "/api/orders", headers: { ...bearer(token), "idempotency-key": `order-${userId}` }, payload: {} });
      expect(order.json()).toMatchObject({ customerId: userId, total: eur(900) });
    });

    it("answers 401 without a token or with a malformed one, and 403 to a customer on an admin route (invariant: the role comes only from a verified token)", async () => {
      const api = source.api();
      const none = await api.request({ method: "GET", url: "/api/cart" });
      expect(problemOf(none)).toMatchObject({ status: 401, code: "unauthenticated" });
      expect(none.headers["www-authenticate"]).toBe("Bearer");
      expect((await api.request({ method: "GET", url: "/api/cart", headers: bearer("not.a.token") })).statusCode).toBe(401);
      const { token } = await source.customer();
      const forbidden = await api.request({ method: "POST", url: "/api/admin/products", headers: bearer(token), payload: { name: "X", category: "tea", price: eur(100), stock: 1 } });
      expect(problemOf(forbidden)).toMatchObject({ status: 403, code: "forbidden" });
    });

    it("lets an admin create a product that customers then see", async () => {
      const api = source.api();
      const created = await api.request({ method: "POST", url: "/api/admin/products", headers: bearer(await source.admin()), payload: { name: "Sencha", category: "tea", price: eur(800), stock: 4 } });
      expect(created.statusCode).toBe(201);
      expect((await api.request({ method: "GET", url: `/api/products/${created.json().id}` })).json()).toMatchObject({ name: "Sencha", available: 4 });
    });
  });
};
