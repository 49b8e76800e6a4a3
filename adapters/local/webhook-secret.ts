/** npm start's partner webhook secret: made once, kept under .data/ (never in the repo), so signatures verify across restarts. */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

export const localWebhookSecretFile = ".data/webhook-secret";

export const localWebhookSecret = async (file = localWebhookSecretFile): Promise<string> => {
  const kept = await readFile(file, "utf8").then(
    (s) => s.trim(),
    (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Promise.reject(error)),
  );
  if (kept !== undefined && kept !== "") return kept;
  await mkdir(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  if (kept === "") return writeFile(file, `${secret}\n`, { mode: 0o600 }).then(() => secret);
  // Written whole aside, then linked in (fails if the name exists): two starts at once keep one secret, never half of one.
  const aside = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(aside, `${secret}\n`, { mode: 0o600 });
  const linked = await link(aside, file).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === "EEXIST" ? false : Promise.reject(error)),
  );
  await unlink(aside);
  return linked ? secret : localWebhookSecret(file);
};
