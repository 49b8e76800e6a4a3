/** npm start's partner webhook secret: made once, kept under .data/ (never in the repo), so signatures verify across restarts. */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
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
  // "wx": two starts at once must not each keep their own; the loser reads the winner's.
  return writeFile(file, `${secret}\n`, { mode: 0o600, flag: kept === "" ? "w" : "wx" }).then(
    () => secret,
    (error: NodeJS.ErrnoException) => (error.code === "EEXIST" ? localWebhookSecret(file) : Promise.reject(error)),
  );
};
