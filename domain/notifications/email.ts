import { Option } from "effect";
import type { Money } from "../pricing/money.js";
import type { OrderEvent } from "../events/events.js";
import type { RefundReason } from "../payments/payment.js";

/** One email's content, written once and rendered both as text and as HTML. */
export interface EmailContent {
  readonly subject: string;
  readonly greeting: string;
  readonly paragraphs: ReadonlyArray<string>;
  readonly lines: ReadonlyArray<{ readonly item: string; readonly amount: string }>;
  readonly total?: string | undefined;
}

export interface Recipient {
  readonly email: string;
  readonly name: string;
}

export interface EmailMessage {
  readonly to: Recipient;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Minor units as the currency writes them (2 decimals for EUR, none for JPY). */
export const formatMoney = (m: Money): string => {
  const format = new Intl.NumberFormat("en", { style: "currency", currency: m.currency });
  return format.format(m.amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
};

const ref = (e: OrderEvent) => e.orderId.slice(0, 8);
const lines = (e: OrderEvent) => e.order.lines.map((l) => ({ item: `${l.quantity} × ${l.name}`, amount: formatMoney(l.lineTotal) }));

/** The customer email an event gets, if any: packing is not news to the customer. */
export const customerEmail = (event: OrderEvent): Option.Option<Omit<EmailContent, "greeting">> => {
  const total = formatMoney(event.order.total);
  switch (event.type) {
    case "OrderPlaced":
      return Option.some({ subject: `Order ${ref(event)} confirmed`, paragraphs: ["Thank you for your order. We hold these items for you:"], lines: lines(event), total });
    case "OrderPaid":
      return Option.some({ subject: `Payment received for order ${ref(event)}`, paragraphs: [`We received your payment of ${total}. Your order is being prepared.`], lines: [], total });
    case "OrderShipped":
      return Option.some({ subject: `Order ${ref(event)} is on its way`, paragraphs: ["Your order has left our warehouse:"], lines: lines(event), total });
    case "OrderDelivered":
      return Option.some({ subject: `Order ${ref(event)} delivered`, paragraphs: ["Your order was delivered. Enjoy!"], lines: [], total: undefined });
    case "OrderCancelled":
      return Option.some({
        subject: `Order ${ref(event)} cancelled`,
        paragraphs: [
          event.reason === "customer" ? "Your order is cancelled, as you asked."
          : event.reason === "unpaid" ? "Your order is cancelled because its payment did not arrive in time."
          : "We had to cancel your order; we are sorry.",
          ...(event.refundDue ? [`Your payment of ${formatMoney(event.refundDue.amount)} will be refunded in full; we will email you when it is on its way.`] : []),
          "These items went back to our stock:",
        ],
        lines: event.returned.map((r) => ({ item: `${r.quantity} × ${event.order.lines.find((l) => l.productId === r.productId)?.name ?? r.productId}`, amount: "" })),
        total: undefined,
      });
    case "OrderPaymentRefunded":
      return Option.some({
        subject: `Refund for order ${ref(event)}`,
        paragraphs: [`${refundWhy(event.refund.reason, ref(event))} We refunded ${formatMoney(event.refund.amount)} in full; it reaches your account in 5–10 days.`],
        lines: [],
        total: undefined,
      });
    case "OrderPacked":
      return Option.none();
  }
};

const refundWhy = (reason: RefundReason | undefined, order: string): string =>
  reason === "cancelled_by_admin" ? `Order ${order} was cancelled.`
  : reason === "paid_twice" ? `Order ${order} was already paid, so your second payment is not needed.`
  : reason === "not_order_payment" ? `A payment we received for order ${order} did not match it.`
  : `Your payment arrived after order ${order} was cancelled.`;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const renderText = (c: EmailContent): string =>
  [c.greeting, "", ...c.paragraphs, "", ...c.lines.map((l) => `  ${l.item}${l.amount ? `  ${l.amount}` : ""}`), ...(c.total ? ["", `Total: ${c.total}`] : []), "", "Cartwright"].join("\n");

export const renderHtml = (c: EmailContent): string =>
  [
    `<!doctype html><html><body style="font-family:sans-serif">`,
    `<p>${escape(c.greeting)}</p>`,
    ...c.paragraphs.map((p) => `<p>${escape(p)}</p>`),
    ...(c.lines.length === 0 ? [] : [`<table>${c.lines.map((l) => `<tr><td>${escape(l.item)}</td><td align="right">${escape(l.amount)}</td></tr>`).join("")}</table>`]),
    ...(c.total ? [`<p><strong>Total: ${escape(c.total)}</strong></p>`] : []),
    `<p>Cartwright</p></body></html>`,
  ].join("\n");

/** The message for a recipient, or none when the event is not emailed. */
export const emailFor = (event: OrderEvent, to: Recipient): Option.Option<EmailMessage> =>
  Option.map(customerEmail(event), (content) => {
    const full = { ...content, greeting: `Hello ${to.name},` };
    return { to, subject: content.subject, text: renderText(full), html: renderHtml(full) };
  });
