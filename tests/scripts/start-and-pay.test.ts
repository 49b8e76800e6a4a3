import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoUsers } from "../../adapters/seed/catalog.js";
import { freePort, npmRun, repoRoot } from "./npm.js";

const env = { CARTWRIGHT_STORE: "memory", JWT_SECRET: "smoke-test-secret-smoke-test-secret-smoke" };

describe("npm start", () => {
  let busy: Server;
  beforeAll(async () => {
    busy = createServer().listen(0, "localhost");
    await once(busy, "listening");
  });
  afterAll(() => busy.close());

  it("exits non-zero on a busy port with one line naming the port and PORT, before seeding", async () => {
    const port = (busy.address() as { port: number }).port;
    const ran = await npmRun("start", [], { ...env, PORT: String(port) });
    expect(ran.code).toBe(1);
    expect(ran.stderr.trim().split("\n")).toEqual([`Port ${port} is in use: stop what listens there, or start on another one with PORT=<port> npm start`]);
    expect(ran.stdout).not.toContain("demo data seeded");
  });
});

describe("npm run pay", () => {
  let server: ChildProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    server = spawn("npm", ["start"], { cwd: repoRoot, env: { ...process.env, ...env, PORT: String(port) }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    server.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on("data", () => out.includes("Cartwright API") && resolve());
      server.once("exit", (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
    });
  }, 60_000);
  afterAll(() => {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  });

  const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`http://localhost:${port}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as Record<string, any>;
  };

  it("pays an order on a server started on a non-default PORT, found through PORT or --url", async () => {
    const { token } = await call("POST", "/auth/login", undefined, { email: demoUsers.customer.email, password: demoUsers.customer.password });
    const { items } = await call("GET", "/api/products");
    const product = items.find((p: { available: number }) => p.available > 2);
    await call("POST", "/api/cart/items", token, { productId: product.id, quantity: 1 });
    const order = await call("POST", "/api/orders", token, {}, { "idempotency-key": "smoke-pay-0001" });
    await call("POST", `/api/orders/${order.id}/payment`, token);

    const viaPort = await npmRun("pay", [order.id], { PORT: String(port) });
    expect(viaPort.stderr).toBe("");
    expect(viaPort.code).toBe(0);
    expect((await call("GET", `/api/orders/${order.id}`, token)).status).toBe("paid");
    const again = await npmRun("pay", [order.id, "--url", `http://localhost:${port}`]);
    expect(again.stdout + again.stderr).not.toContain("Cannot reach");
  });

  it("says PORT and --url exist when no server answers where it looked", async () => {
    const ran = await npmRun("pay", ["some-order"], { PORT: String(await freePort()) });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/from PORT.*PORT=<port> or --url <url>/s);
  });
});
