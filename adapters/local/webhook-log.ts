/**
 * npm start's partner webhook log: every call the fulfilment consumer made (each attempt) or would have made
 * to a partner without a URL, with its headers, body and answer. On DynamoDB Local it is a JSON-lines file
 * beside the data (restarts keep it, as they keep the orders and the mail); in memory mode, memory.
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { WebhookDelivery } from "../webhooks/http.js";
import { notSent } from "../webhooks/http.js";
import { html, page } from "./html.js";

/** The newest calls shown; a file keeps them all. */
export const webhookLogLimit = 100;

export interface WebhookLog {
  readonly record: (delivery: WebhookDelivery) => void;
  /** The newest calls first. */
  readonly list: () => Promise<ReadonlyArray<WebhookDelivery>>;
}

export const memoryWebhookLog = (): WebhookLog => {
  const calls: Array<WebhookDelivery> = [];
  return { record: (d) => void calls.push(d), list: async () => calls.slice(-webhookLogLimit).reverse() };
};

export const fileWebhookLog = (file: string, log: (line: Record<string, unknown>) => void = () => {}): WebhookLog => {
  // Appends one at a time, in the order recorded; a read waits for those before it.
  let written: Promise<void> = Promise.resolve();
  return {
    record: (d) =>
      void (written = written
        .then(() => mkdir(dirname(file), { recursive: true }))
        .then(() => appendFile(file, `${JSON.stringify(d)}\n`))
        .catch((error: unknown) => log({ level: "warn", msg: "webhook log not written", file, error: String(error) }))),
    list: async () => {
      await written;
      const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? "" : Promise.reject(error)));
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      return lines.slice(-webhookLogLimit).reverse().map((l) => JSON.parse(l) as WebhookDelivery);
    },
  };
};

const answerClass = (answer: string) => (answer === notSent ? "off" : /^2\d\d\b/.test(answer) ? "ok" : "bad");

const pretty = (body: string) => {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
};

const entry = (d: WebhookDelivery) =>
  html`<article><h2>${d.type} → ${d.partner}</h2>
<table><tbody><tr><th>Sent (UTC)</th><td>${d.at}</td></tr><tr><th>To</th><td>${d.url ?? "(no URL)"}</td></tr>
<tr><th>Attempt</th><td>${d.attempt}</td></tr><tr><th>Answer</th><td class="${answerClass(d.answer)}">${d.answer}</td></tr></tbody></table>
<h3>Headers</h3><pre>${Object.entries(d.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}</pre>
<h3>Payload</h3><pre>${pretty(d.body)}</pre>
<details><summary>Raw body, as signed</summary><pre class="raw">${d.body}</pre></details></article>`;

export const webhookLogPage = async (log: WebhookLog): Promise<string> => {
  const calls = await log.list();
  const intro = html`<p class="muted">Partner webhook calls of this local run, newest first (the ${webhookLogLimit} newest). Each is signed as on AWS
(<code>cartwright-signature</code>, v2: HMAC-SHA256 of <code>&lt;t&gt;.&lt;event id&gt;.&lt;recipient&gt;.&lt;raw body&gt;</code>) with the secret <code>npm start</code> printed;
a partner without a URL (<code>WAREHOUSE_WEBHOOK_URL</code>, <code>DELIVERY_WEBHOOK_URL</code>) gets none, and its call is shown as it would have been sent.</p>`;
  return page("Webhook log", calls.length === 0 ? html`${intro}<p>No call yet. Pay for an order: the warehouse is told.</p>` : html`${intro}${calls.map(entry)}`);
};
