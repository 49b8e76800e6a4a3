import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { Effect, type Layer } from "effect";
import { simpleParser } from "mailparser";
import { afterAll, describe, expect, it } from "vitest";
import { EmlFileMailer } from "../../adapters/mail/eml-files.js";
import { SesMailer } from "../../adapters/mail/ses.js";
import { type EmailMessage, Mailer } from "../../domain/index.js";

interface MailerSystem {
  readonly layer: Layer.Layer<Mailer>;
  /** The raw MIME of every message sent, in order. */
  readonly sent: () => Promise<Array<Buffer>>;
  readonly close: () => Promise<void>;
}

const message: EmailMessage = {
  to: { email: "zoë@example.com", name: "Zoë Ünver" },
  subject: "Order 1234 confirmed — merci",
  text: "Hello Zoë,\n\n2 × Thé vert  €9.00",
  html: "<p>Hello Zoë,</p><p>2 × Thé vert  €9.00</p>",
};

/** One contract for both mailers: what leaves is a real MIME message a mail client reads. */
const describeMailerContract = (name: string, setup: () => Promise<MailerSystem>) =>
  describe(`${name}: Mailer`, () => {
    let system: MailerSystem;
    afterAll(() => system?.close());

    it("sends a multipart MIME message from the shop to the customer, text and HTML in UTF-8, headers encoded", async () => {
      system = await setup();
      await Effect.runPromise(Effect.flatMap(Mailer, (m) => m.send(message)).pipe(Effect.provide(system.layer)));
      const [raw] = await system.sent();
      const parsed = await simpleParser(raw!);
      expect(parsed.subject).toBe(message.subject);
      expect(parsed.to && "value" in parsed.to ? parsed.to.value : []).toEqual([{ address: "zoë@example.com", name: "Zoë Ünver" }]);
      expect(parsed.from?.value).toEqual([{ address: "orders@shop.example.com", name: "Cartwright" }]);
      expect(parsed.text?.trim()).toBe(message.text);
      expect(parsed.html).toContain("2 × Thé vert");
      expect(raw!.toString("latin1")).toMatch(/Content-Type: multipart\/alternative/);
    });
  });

describeMailerContract("SES v2 (against a local stand-in)", async () => {
  const bodies: Array<Buffer> = [];
  const server = createServer(async (req, res) => {
    const chunks: Array<Buffer> = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Content: { Raw: { Data: string } }; FromEmailAddress: string };
    if (req.url === "/v2/email/outbound-emails" && request.FromEmailAddress === "orders@shop.example.com") bodies.push(Buffer.from(request.Content.Raw.Data, "base64"));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ MessageId: "m-1" }));
  }).listen(0, "127.0.0.1");
  await once(server, "listening");
  const client = new SESv2Client({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: "eu-west-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  return { layer: SesMailer(client, "orders@shop.example.com"), sent: async () => bodies, close: async () => void server.close() };
});

describeMailerContract(".eml files (local)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "cartwright-mail-"));
  const logged: Array<Record<string, unknown>> = [];
  return {
    layer: EmlFileMailer(dir, "orders@shop.example.com", (line) => logged.push(line)),
    sent: async () => {
      const files = (await readdir(dir)).filter((f) => f.endsWith(".eml")).sort();
      expect(logged.map((l) => l.file)).toEqual(files.map((f) => join(dir, f)));
      return Promise.all(files.map((f) => readFile(join(dir, f))));
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
});
