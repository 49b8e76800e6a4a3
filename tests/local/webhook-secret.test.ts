import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConsumerConfig } from "../../adapters/config.js";
import { localWebhookSecret } from "../../adapters/local/webhook-secret.js";

const dirs: Array<string> = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const fresh = async () => {
  const dir = await mkdtemp(join(tmpdir(), "cartwright-secret-"));
  dirs.push(dir);
  return join(dir, ".data", "webhook-secret");
};

describe("localWebhookSecret", () => {
  it("makes one secret on first use and gives the same on every later start (invariant: local signatures verify across restarts)", async () => {
    const file = await fresh();
    const first = await localWebhookSecret(file);
    expect(await localWebhookSecret(file)).toBe(first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(loadConsumerConfig({ WEBHOOK_SECRET: first }, "local").webhooks.secret).toBe(first);
  });

  it("gives two starts at once the same secret, and different checkouts different ones", async () => {
    const file = await fresh();
    const [a, b] = await Promise.all([localWebhookSecret(file), localWebhookSecret(file)]);
    expect(a).toBe(b);
    expect(await localWebhookSecret(await fresh())).not.toBe(a);
  });
});
