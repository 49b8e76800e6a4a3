/** A real MIME message (multipart text + HTML, UTF-8, encoded headers), built by nodemailer's composer, never by hand. */
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { EmailMessage } from "../../domain/index.js";

export const mimeOf = (from: string, message: EmailMessage): Promise<Buffer> =>
  new MailComposer({
    from: { name: "Cartwright", address: from },
    to: { name: message.to.name, address: message.to.email },
    subject: message.subject,
    text: message.text,
    html: message.html,
  })
    .compile()
    .build();
