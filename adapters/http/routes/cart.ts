import { Effect } from "effect";
import type { FastifyInstance } from "fastify";
import {
  addToCart,
  type Cart,
  changeQuantity,
  clearCart,
  Clock,
  getCart,
  removeFromCart,
  renewCart,
  type UserId,
} from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { AddItemBody, CartItemParam, RetrySafeHeaders, SetQuantityBody } from "../schemas.js";
import { cartView, CartView, RenewView } from "../views.js";

const tags = ["cart"];
const access = "customer" as const;
const response = { status: 200, schema: CartView, description: "The cart after the change" };

/** A cart as of the clock's now, so each line says whether its hold is still live. */
const viewed = <E, R>(cart: Effect.Effect<Cart, E, R>) =>
  Effect.flatMap(cart, (c) => Effect.map(Effect.flatMap(Clock, (clock) => clock.now), (now) => cartView(c, now)));

export const cartRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  const me = (principal: { readonly userId: UserId }) => principal.userId;

  route(app, deps, {
    method: "GET",
    url: "/api/cart",
    summary: "The cart: lines with price snapshots, hold expiry and status, subtotal",
    tags,
    access,
    response: { ...response, description: "The cart" },
    handler: ({ principal }) => deps.run(viewed(getCart(me(principal)))),
  });

  route(app, deps, {
    method: "POST",
    url: "/api/cart/items",
    summary: "Reserve units of a product in the cart at today's price (send an Idempotency-Key to make a retry safe)",
    tags,
    access,
    headers: RetrySafeHeaders,
    body: AddItemBody,
    response: { ...response, description: "The cart after the change (a replayed key returns the cart as it is now, with Idempotent-Replayed: true)" },
    handler: async ({ principal, body, headers, reply }) => {
      const added = addToCart(me(principal), body.productId, body.quantity, headers["idempotency-key"]);
      const { view, replayed } = await deps.run(Effect.flatMap(added, (a) => Effect.map(viewed(Effect.succeed(a.value)), (view) => ({ view, replayed: a.replayed }))));
      if (replayed) reply.header("idempotent-replayed", "true");
      return view;
    },
  });

  route(app, deps, {
    method: "PUT",
    url: "/api/cart/items/:productId",
    summary: "Set a line's quantity (0 removes it)",
    tags,
    access,
    params: CartItemParam,
    body: SetQuantityBody,
    response,
    handler: ({ principal, params, body }) => deps.run(viewed(changeQuantity(me(principal), params.productId, body.quantity))),
  });

  route(app, deps, {
    method: "DELETE",
    url: "/api/cart/items/:productId",
    summary: "Remove a line and release its units",
    tags,
    access,
    params: CartItemParam,
    response,
    handler: ({ principal, params }) => deps.run(viewed(removeFromCart(me(principal), params.productId))),
  });

  route(app, deps, {
    method: "DELETE",
    url: "/api/cart",
    summary: "Empty the cart and release every hold",
    tags,
    access,
    response,
    handler: ({ principal }) => deps.run(viewed(clearCart(me(principal)))),
  });

  route(app, deps, {
    method: "POST",
    url: "/api/cart/renew",
    summary:
      "Extend live lines (same price, a hold TTL from now, at most until the hold is the stack's maximum age: 4 hold TTLs by default) and re-reserve expired lines at current prices; reports what happened per line",
    tags,
    access,
    response: { status: 200, schema: RenewView, description: "The renewed cart and, per line, what happened" },
    handler: ({ principal }) =>
      deps.run(
        Effect.flatMap(renewCart(me(principal)), ({ cart, report }) =>
          Effect.map(viewed(Effect.succeed(cart)), (view) => ({ cart: view, report })),
        ),
      ),
  });
};
