/** The local inbox: the .eml files the local mailer writes (adapters/mail/eml-files.ts), read back with mailparser. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type AddressObject, simpleParser } from "mailparser";
import { html, type Html, page } from "./html.js";

/** The newest mails listed; older ones stay on disk. */
export const inboxLimit = 100;

// The mailer's own names (timestamp then subject slug): nothing else is served from the folder.
const emlName = /^[\w.-]{1,200}\.eml$/;

const addresses = (a: AddressObject | ReadonlyArray<AddressObject> | undefined): string => [a ?? []].flat().map((x) => x.text).join(", ");

/** The mail files, newest first (their names start with the time they were written). */
export const mailFiles = async (dir: string): Promise<ReadonlyArray<string>> => {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? [] : Promise.reject(error)));
  return names.filter((n) => emlName.test(n)).sort().reverse();
};

const parse = async (dir: string, name: string) => simpleParser(await readFile(join(dir, name)));

const row = async (dir: string, name: string): Promise<Html> => {
  const mail = await parse(dir, name);
  return html`<tr><td>${mail.date?.toISOString().replace("T", " ").slice(0, 19) ?? ""}</td><td>${addresses(mail.to)}</td>
<td><a href="/local/inbox/${encodeURIComponent(name)}">${mail.subject ?? "(no subject)"}</a></td></tr>`;
};

export const inboxPage = async (dir: string): Promise<string> => {
  const names = (await mailFiles(dir)).slice(0, inboxLimit);
  const rows = await Promise.all(names.map((n) => row(dir, n)));
  const body =
    names.length === 0
      ? html`<p>No mail yet. Place an order: its confirmation lands here within a second.</p>`
      : html`<table><thead><tr><th>Sent (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`;
  return page("Inbox", html`<p class="muted">Mail sent by this local run, newest first (the ${inboxLimit} newest of <code>${dir}/</code>).</p>${body}`);
};

/** One mail: its headers, its HTML in a sandboxed frame (no script, no access to this page), its text. Undefined when there is no such mail. */
export const mailPage = async (dir: string, name: string): Promise<string | undefined> => {
  if (!emlName.test(name) || !(await mailFiles(dir)).includes(name)) return undefined;
  const mail = await parse(dir, name);
  const frame = typeof mail.html === "string" ? html`<iframe sandbox="" title="HTML of the mail" srcdoc="${mail.html}"></iframe>` : html`<p class="muted">No HTML part.</p>`;
  return page(
    mail.subject ?? "(no subject)",
    html`<table><tbody><tr><th>From</th><td>${addresses(mail.from)}</td></tr><tr><th>To</th><td>${addresses(mail.to)}</td></tr>
<tr><th>Date</th><td>${mail.date?.toISOString() ?? ""}</td></tr><tr><th>File</th><td><code>${join(dir, name)}</code></td></tr></tbody></table>
<h2>HTML</h2>${frame}<h2>Text</h2><pre>${mail.text ?? ""}</pre><p><a href="/local/inbox">← Inbox</a></p>`,
  );
};
