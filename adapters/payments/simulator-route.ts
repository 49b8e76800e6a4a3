/**
 * `npm start` only (never deployed): the simulated provider's "the buyer paid" button. It settles the
 * order's payment in the ledger, signs the event Stripe would send and posts it to the app's own
 * webhook over HTTP, so the verification and apply path is the one Stripe's webhooks take.
 */
import type { FastifyInstance } from "fastify";
import { LedgerRefusal, type SimulatedLedger } from "./ledger.js";
import { signedEvent } from "./simulated.js";

export const simulatorPath = "/_simulated/payments/:orderId/settle";

export const registerSimulator = (app: FastifyInstance, ledger: SimulatedLedger, webhookSecret: string, selfUrl: () => string): void => {
  app.post<{ Params: { orderId: string }; Querystring: { outcome?: string } }>(simulatorPath, async (request, reply) => {
    const intent = ledger.intentOfOrder(request.params.orderId);
    if (!intent) return reply.code(404).send({ error: `no payment was started for order ${request.params.orderId} (POST /api/orders/:id/payment first)` });
    try {
      const event = ledger.settle(intent.id, request.query.outcome === "failed" ? "failed" : "succeeded");
      const { payload, signature } = await signedEvent(event, webhookSecret);
      const answer = await fetch(`${selfUrl()}/webhooks/payments`, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload });
      return reply.send({ paymentId: intent.id, event: { id: event.id, type: event.type }, webhook: { status: answer.status, body: await answer.json() } });
    } catch (error) {
      if (error instanceof LedgerRefusal) return reply.code(409).send({ error: error.message });
      throw error;
    }
  });
};
