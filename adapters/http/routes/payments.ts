import { Schema } from "effect";
import type { FastifyInstance } from "fastify";
import { receivePaymentWebhook, startPayment } from "../../../domain/index.js";
import { route, type RouteDeps } from "../route.js";
import { OrderIdParam } from "../schemas.js";
import { PaymentView, WebhookAckView } from "../views.js";

const WebhookHeaders = Schema.Struct({
  "stripe-signature": Schema.optional(Schema.String.pipe(Schema.maxLength(4096))).annotations({
    description: "t=<unix seconds>,v1=<HMAC-SHA256 of `t.body` with the webhook secret> (Stripe's scheme)",
  }),
});

export const paymentRoutes = (app: FastifyInstance, deps: RouteDeps): void => {
  route(app, deps, {
    method: "POST",
    url: "/api/orders/:id/payment",
    summary: "Start paying one of my placed orders (once per order: a second call returns the same payment)",
    tags: ["orders"],
    access: "customer",
    params: OrderIdParam,
    response: { status: 200, schema: PaymentView, description: "What the client needs to confirm the payment (Stripe.js: clientSecret and publishableKey)" },
    handler: ({ principal, params }) => deps.run(startPayment(principal, params.id)),
  });

  // The provider's webhook: its signature is checked on the bytes exactly as received, so this scope
  // takes every body as a Buffer instead of parsing JSON.
  app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    route(raw, deps, {
      method: "POST",
      url: "/webhooks/payments",
      summary: "Payment provider webhook (no token: verified by its signature on the raw body)",
      tags: ["payments"],
      access: "public",
      headers: WebhookHeaders,
      response: { status: 200, schema: WebhookAckView, description: "Verified; what it did (a duplicate changes nothing)" },
      handler: async ({ request, headers }) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const outcome = await deps.run(receivePaymentWebhook(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), headers["stripe-signature"]));
        return { received: true as const, ...outcome };
      },
    });
  });
};
