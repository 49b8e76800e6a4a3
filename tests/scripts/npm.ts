/** Runs `npm run <script>` as a newcomer would, from the repository root, and collects what it printed. */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

const collect = async (command: string, argv: ReadonlyArray<string>, env: Record<string, string>): Promise<Ran> => {
  const started = performance.now();
  const child = spawn(command, argv, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // "close", not "exit": a process can exit before what it wrote to its pipes has been read here (seen on CI: an
  // exit code 2 with an empty stderr); "close" comes after both pipes have ended.
  const [code] = (await once(child, "close")) as [number | null];
  return { code, stdout, stderr, seconds: (performance.now() - started) / 1000 };
};

export const npmRun = (script: string, args: ReadonlyArray<string> = [], env: Record<string, string> = {}): Promise<Ran> =>
  collect("npm", ["run", "--silent", script, ...(args.length > 0 ? ["--", ...args] : [])], env);

const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts as Record<string, string>;

/** package.json's command for the script, run as npm runs it but without npm's own start-up (~0.7 s each). */
export const scriptRun = (script: string, args: ReadonlyArray<string>): Promise<Ran> =>
  collect("sh", ["-c", `${scripts[script]} "$@"`, script, ...args], { PATH: `${join(repoRoot, "node_modules", ".bin")}:${process.env.PATH}` });

/** A port nobody listens on (closed again before it is returned). */
export const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, "localhost");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
};
