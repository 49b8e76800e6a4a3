/**
 * `npm start` only (never deployed): `GET /` links the docs, the inbox and the webhook log and shows the demo
 * logins. scripts/start.ts registers these routes; the deployed app never does (tests/lambda/api.test.ts).
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { html, page } from "./html.js";
import { inboxPage, mailFiles, mailPage } from "./inbox.js";
import { type WebhookLog, webhookLogPage } from "./webhook-log.js";

export interface LocalPagesOptions {
  /** Where the local mailer writes its .eml files. */
  readonly mailDir: string;
  readonly webhooks: WebhookLog;
  readonly logins: ReadonlyArray<{ readonly role: string; readonly email: string; readonly password: string }>;
}

export const localPaths = ["/", "/local/inbox", "/local/webhooks"] as const;

const send = (reply: FastifyReply, body: string) => reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(body);

const indexPage = async (o: LocalPagesOptions) => {
  const mails = (await mailFiles(o.mailDir)).length;
  const calls = (await o.webhooks.list()).length;
  const logins = o.logins.map((l) => html`<tr><td>${l.role}</td><td><code>${l.email}</code></td><td><code>${l.password}</code></td></tr>`);
  return page(
    "Cartwright, running locally",
    html`<ul>
<li><a href="/docs">API docs</a> (Swagger UI; the spec: <a href="/openapi.json">/openapi.json</a>)</li>
<li><a href="/local/inbox">Inbox</a>: the mail this run sent (${mails})</li>
<li><a href="/local/webhooks">Webhook log</a>: the partner webhook calls, with payload, signature and answer (${calls === 0 ? "none yet" : calls})</li>
</ul>
<h2>Demo logins</h2><table><thead><tr><th>Role</th><th>Email</th><th>Password</th></tr></thead><tbody>${logins}</tbody></table>
<p class="muted">POST them to <code>/auth/login</code> for a token (in the docs: Authorize). These pages exist only under <code>npm start</code>.</p>`,
  );
};

export const registerLocalPages = (app: FastifyInstance, o: LocalPagesOptions): void => {
  app.get("/", async (_request, reply) => send(reply, await indexPage(o)));
  app.get("/local/inbox", async (_request, reply) => send(reply, await inboxPage(o.mailDir)));
  app.get<{ Params: { file: string } }>("/local/inbox/:file", async (request, reply) => {
    const body = await mailPage(o.mailDir, request.params.file);
    return body === undefined ? send(reply.code(404), page("No such mail", html`<p><a href="/local/inbox">← Inbox</a></p>`)) : send(reply, body);
  });
  app.get("/local/webhooks", async (_request, reply) => send(reply, await webhookLogPage(o.webhooks)));
};
