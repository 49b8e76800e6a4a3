import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import { Effect, Layer } from "effect";
import { Mailer, MailUndelivered } from "../../domain/index.js";
import { mimeOf } from "./mime.js";

/** Customer email through SES v2, as a raw MIME message from the stack's verified identity. */
export const SesMailer = (client: SESv2Client, from: string) =>
  Layer.succeed(Mailer, {
    send: (message) =>
      Effect.tryPromise({
        // Interrupted (the consumer's deadline): the SDK aborts the request.
        try: async (signal) => {
          const raw = await mimeOf(from, message);
          const command = new SendEmailCommand({ FromEmailAddress: from, Destination: { ToAddresses: [message.to.email] }, Content: { Raw: { Data: raw } } });
          await client.send(command, { abortSignal: signal });
        },
        catch: (error) => new MailUndelivered({ reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
      }),
  });
