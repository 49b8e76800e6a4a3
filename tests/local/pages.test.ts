import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Effect, Layer } from "effect";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsumerConfig } from "../../adapters/config.js";
import { localSideEffects, localSubscribers } from "../../adapters/consumers/index.js";
import { startLocalEvents } from "../../adapters/events/local-flow.js";
import { registerLocalPages } from "../../adapters/local/pages.js";
import { memoryWebhookLog } from "../../adapters/local/webhook-log.js";
import { EmlFileMailer } from "../../adapters/mail/eml-files.js";
import { makeMemoryDb, memoryStores } from "../../adapters/memory/layer.js";
import { verifyWebhookSignature } from "../../adapters/webhooks/signature.js";
import { Mailer } from "../../domain/index.js";
import { launchBrowser } from "../support/browser.js";
import { makeTestApi, type TestApi } from "../http/support.js";

// SCREENSHOTS=1 npx vitest run tests/local: also saves the pages as PNGs under docs/screenshots/.
const screenshots = process.env["SCREENSHOTS"] === "1" ? join(import.meta.dirname, "../../docs/screenshots") : undefined;
const secret = "local-pages-test-secret-local-pages-test";
const logins = [{ role: "customer", email: "shopper@example.com", password: "shopper-password" }];
const hostileName = "<img src=x onerror=alert(1)> Mallory";

let browser: Browser;
let page: Page;
let api: TestApi;
let partner: Server;
let base: string;
let mailDir: string;
let orderId: string;
const stops: Array<() => Promise<unknown>> = [];

const waitFor = async <A>(probe: () => Promise<A | undefined>, what: string): Promise<A> => {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 25))) {
    const found = await probe();
    if (found !== undefined) return found;
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** What `npm start` runs (the app, its local pages, the memory outbox → relay → consumers), on a free port. */
const startLocalShop = async () => {
  mailDir = await mkdtemp(join(tmpdir(), "cartwright-pages-"));
  partner = createServer((_req, res) => res.writeHead(202).end()).listen(0, "127.0.0.1");
  await new Promise((r) => partner.once("listening", r));
  const db = makeMemoryDb();
  api = await makeTestApi({ stores: memoryStores(db) });
  const webhooks = memoryWebhookLog();
  registerLocalPages(api.app, { mailDir, webhooks, logins });
  const urls = { warehouse: `http://127.0.0.1:${(partner.address() as { port: number }).port}/hooks` };
  const config: ConsumerConfig = { store: "memory", tableName: "", dynamodbEndpoint: undefined, mailFrom: "orders@cartwright.local", mailDir, webhooks: { urls, secret } };
  const consumers = localSubscribers(Layer.mergeAll(memoryStores(db), localSideEffects(config, () => {}, webhooks.record)));
  const events = startLocalEvents({ kind: "memory", db }, consumers.subscribers, () => {});
  stops.push(() => events.stop(), () => consumers.dispose(), () => api.close(), () => new Promise((r) => partner.close(r)), () => rm(mailDir, { recursive: true, force: true }));
  base = await api.app.listen({ host: "127.0.0.1", port: 0 });
  return webhooks;
};

/** A checkout, paid and packed by the admin: two mails, a call to the warehouse, one the delivery partner (no URL) does not get. */
const checkout = async (webhooks: ReturnType<typeof memoryWebhookLog>) => {
  const [customer, admin, product] = [await api.user("customer"), await api.user("admin"), await api.product({ name: "Cast Iron Pan" })];
  await api.request({ method: "POST", url: "/api/cart/items", headers: customer.headers, payload: { productId: product.id, quantity: 1 } });
  const order = (await api.request({ method: "POST", url: "/api/orders", headers: { ...customer.headers, "idempotency-key": "pages-test-1" } })).json();
  for (const status of ["paid", "packed"]) await api.request({ method: "POST", url: `/api/admin/orders/${order.id}/status`, headers: admin.headers, payload: { status } });
  await waitFor(async () => ((await readdir(mailDir)).length >= 2 ? true : undefined), "the order's two mails");
  await waitFor(async () => ((await webhooks.list()).length >= 2 ? true : undefined), "both partner calls");
  return order.id as string;
};

/** A mail whose HTML tries to script the page showing it, and whose recipient's name is markup. */
const sendHostileMail = () =>
  Effect.runPromise(
    Effect.flatMap(Mailer, (m) =>
      m.send({
        to: { email: "mallory@example.com", name: hostileName },
        subject: "Hostile <b>mail</b>",
        text: "plain words",
        html: `<p id="hostile-marker">Hostile</p><script>document.body.dataset.ran = "yes"; parent.document.title = "pwned"; top.pwned = true;</script><img src="x" onerror="parent.document.title='pwned'">`,
      }),
    ).pipe(Effect.provide(EmlFileMailer(mailDir, "orders@cartwright.local", () => {}))),
  );

const shoot = async (name: string) => void (screenshots && (await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true })));

beforeAll(async () => {
  const [launched, webhooks] = await Promise.all([launchBrowser(), startLocalShop()]);
  browser = launched;
  stops.unshift(() => browser.close());
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  orderId = await checkout(webhooks);
}, 60_000);
afterAll(async () => {
  for (const stop of stops) await stop().catch(() => {});
});

describe("npm start's local pages, in headless Chromium", () => {
  it("index: links the API docs, the inbox and the webhook log, each answering, and shows the demo logins", async () => {
    await page.goto(`${base}/`);
    await shoot("index");
    expect(await page.locator("main").innerText()).toContain("shopper@example.com");
    const links = await page.locator("main a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toEqual(expect.arrayContaining(["/docs", "/local/inbox", "/local/webhooks"]));
    for (const [name, heading] of [["Inbox", "Inbox"], ["Webhook log", "Webhook log"]] as const) {
      await page.goto(`${base}/`);
      await page.locator("main").getByRole("link", { name, exact: true }).click();
      expect(await page.locator("h1").innerText()).toBe(heading);
    }
    // Swagger UI's own page (not its scripts, which its tests cover): the link leads somewhere.
    const docs = await page.request.get(`${base}/docs`);
    expect([docs.status(), await docs.text()]).toEqual([200, expect.stringContaining("swagger-ui")]);
  });

  it("inbox: lists the checkout's mails newest first, shows a mail's text and its HTML, and serves no other file", async () => {
    await page.goto(`${base}/local/inbox`);
    await shoot("inbox");
    const subjects = await page.locator("tbody a").allInnerTexts();
    expect(subjects).toEqual([`Payment received for order ${orderId.slice(0, 8)}`, `Order ${orderId.slice(0, 8)} confirmed`]);
    await page.locator("tbody a").nth(1).click();
    expect(await page.locator("h1").innerText()).toBe(`Order ${orderId.slice(0, 8)} confirmed`);
    expect(await page.locator("pre").innerText()).toContain("Cast Iron Pan");
    expect(await page.frameLocator("iframe").locator("body").innerText()).toContain("Cast Iron Pan");
    await shoot("inbox-mail");
    for (const name of ["..%2F..%2Fpackage.json", `..%2F${encodeURIComponent(join("..", "x.eml"))}`, "nope.eml"])
      expect((await api.request({ method: "GET", url: `/local/inbox/${name}` })).statusCode).toBe(404);
  });

  it("a mail's HTML runs no script, in its frame or in the page, and markup in its headers shows as text", async () => {
    await sendHostileMail();
    await page.goto(`${base}/local/inbox`);
    expect(await page.locator("tbody a").first().innerText()).toBe("Hostile <b>mail</b>");
    expect(await page.locator("main").innerText()).toContain(hostileName);
    expect(await page.locator("main img").count()).toBe(0);
    await page.locator("tbody a").first().click();
    const frame = page.frameLocator("iframe");
    await expect.poll(() => frame.locator("#hostile-marker").count()).toBe(1);
    await new Promise((r) => setTimeout(r, 200)); // the onerror of a broken image fires after load
    expect(await page.title()).not.toBe("pwned");
    expect(await page.evaluate(() => (globalThis as { pwned?: boolean }).pwned)).toBeUndefined();
    expect(await frame.locator("body").getAttribute("data-ran")).toBeNull();
    expect(await page.locator("#hostile-marker").count()).toBe(0); // not part of the page's own DOM
  });

  it("webhook log: shows each partner call with its payload, a signature that verifies, and the answer (or why none was sent)", async () => {
    await page.goto(`${base}/local/webhooks`);
    await shoot("webhook-log");
    const paid = page.locator("article", { hasText: "OrderPaid → warehouse" });
    expect(await paid.locator("td.ok").innerText()).toBe("202 Accepted");
    expect(await paid.locator("pre").first().innerText()).toMatch(/^cartwright-signature: t=\d+,v2=[0-9a-f]{64}$/m);
    const headers = Object.fromEntries((await paid.locator("pre").first().innerText()).split("\n").map((l) => l.split(": ", 2) as [string, string]));
    const rawBody = await paid.locator("pre.raw").textContent();
    expect(JSON.parse(rawBody ?? "")).toMatchObject({ type: "OrderPaid", orderId });
    const call = { signature: headers["cartwright-signature"]!, eventId: headers["cartwright-event-id"]!, rawBody: rawBody ?? "" };
    expect(verifyWebhookSignature(secret, "warehouse", call, Math.floor(Date.now() / 1000))).toBe(true);
    const packed = page.locator("article", { hasText: "OrderPacked → delivery" });
    expect(await packed.locator("td.off").innerText()).toBe("no URL configured: not sent");
  });
});
