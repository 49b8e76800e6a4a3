import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Effect, Layer } from "effect";
import { Mailer, MailUndelivered } from "../../domain/index.js";
import { mimeOf } from "./mime.js";

/** Local email: each message is an .eml file (open it in any mail client), and a log line says where. */
export const EmlFileMailer = (dir: string, from: string, log: (line: Record<string, unknown>) => void) =>
  Layer.succeed(Mailer, {
    send: (message) =>
      Effect.tryPromise({
        try: async (signal) => {
          await mkdir(dir, { recursive: true });
          const slug = message.subject.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
          const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${slug}.eml`);
          await writeFile(file, await mimeOf(from, message), { signal });
          log({ level: "info", msg: "email written", to: message.to.email, subject: message.subject, file });
        },
        catch: (error) => new MailUndelivered({ reason: String(error) }),
      }),
  });
