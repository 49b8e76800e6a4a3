/** The local pages' HTML: escaped text in one plain layout (no script: the app's CSP allows none inline). */

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe for an HTML element or a quoted attribute. */
export const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => entities[c]!);

/** A tagged template whose interpolations are escaped, unless already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

type Part = string | number | Html | ReadonlyArray<Html>;

const render = (part: Part): string => (part instanceof Html ? part.value : Array.isArray(part) ? part.map(render).join("") : escape(String(part)));

export const html = (strings: TemplateStringsArray, ...parts: ReadonlyArray<Part>): Html =>
  new Html(strings.reduce((out, s, i) => out + s + (i < parts.length ? render(parts[i]!) : ""), ""));

const style = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f6f7f9; }
header { background: #1d3557; color: #fff; padding: .8rem 1.5rem; }
header a { color: #fff; margin-right: 1.2rem; text-decoration: none; }
header a.home { font-weight: 600; }
main { max-width: 64rem; margin: 1.5rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: .95rem; margin: .8rem 0 .2rem; }
article h2 { margin-top: 0; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .45rem .7rem; border-bottom: 1px solid #e1e4e8; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
pre { background: #fff; border: 1px solid #e1e4e8; padding: .7rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: .3rem 0; font-size: 13px; }
iframe { width: 100%; height: 28rem; border: 1px solid #e1e4e8; background: #fff; }
code { background: #eef1f4; padding: 0 .25rem; border-radius: 3px; }
.muted { color: #5c6670; }
.ok { color: #1a7f37; font-weight: 600; } .bad { color: #b42318; font-weight: 600; } .off { color: #8a5a00; font-weight: 600; }
article { background: #fff; border: 1px solid #e1e4e8; padding: .8rem 1rem; margin-bottom: 1rem; }
`;

/** A whole page: the navigation, a title and the body. */
export const page = (title: string, body: Html): string =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Cartwright (local)</title><style>${new Html(style)}</style></head>
<body><header><a class="home" href="/">Cartwright (local)</a><a href="/local/inbox">Inbox</a><a href="/local/webhooks">Webhook log</a><a href="/docs">API docs</a></header>
<main><h1>${title}</h1>${body}</main></body></html>`.value;
