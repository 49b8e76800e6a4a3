/** Cold and warm measurements of a built handler, each in processes of its own. */
import { execFile, fork } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

export interface ColdSample {
  readonly init: number;
  readonly firstInvoke: number;
}

// Runs in the fresh process: times the import (the Lambda init phase) and the first invoke.
const probe = (bundle: string, event: object) => `
const t0 = performance.now();
const { handler } = await import(${JSON.stringify(bundle)});
const t1 = performance.now();
const res = await handler(${JSON.stringify(event)}, { functionName: "bench", awsRequestId: "bench", getRemainingTimeInMillis: () => 10000 });
const t2 = performance.now();
process.stderr.write(JSON.stringify({ init: t1 - t0, firstInvoke: t2 - t1, status: res.statusCode }) + "\\n");
process.exit(0);`;

/** One cold start: a fresh Node process imports the bundle and serves the event once. */
export const coldStart = async (bundle: string, event: object, env: NodeJS.ProcessEnv): Promise<ColdSample> => {
  const { stderr } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", probe(bundle, event)], { env, maxBuffer: 16 * 1024 * 1024 });
  const line = stderr.split("\n").find((l) => l.includes('"firstInvoke"'));
  if (!line) throw new Error(`no timings from ${bundle}:\n${stderr}`);
  const sample = JSON.parse(line) as ColdSample & { status: number };
  if (sample.status !== 200) throw new Error(`${bundle} answered ${sample.status} on its first invoke`);
  return sample;
};

export interface WarmHandler {
  /** Durations in µs of `invokes` sequential invokes. */
  round(invokes: number): Promise<Array<number>>;
  stop(): void;
}

/** A long-lived process holding one imported handler (its logs discarded, as CloudWatch takes them). */
export const warmHandler = async (bundle: string, event: object, env: NodeJS.ProcessEnv): Promise<WarmHandler> => {
  const child = fork(join(import.meta.dirname, "warm-child.mjs"), [bundle, JSON.stringify(event)], { env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  await new Promise<void>((ready, fail) => {
    child.once("message", () => ready());
    child.once("exit", (code) => fail(new Error(`${bundle} exited with ${code}`)));
  });
  return {
    round: (invokes) =>
      new Promise((done) => {
        child.once("message", (m) => done((m as { durations: Array<number> }).durations));
        child.send({ invokes });
      }),
    stop: () => void child.kill(),
  };
};

export const quantile = (xs: ReadonlyArray<number>, q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};
export const median = (xs: ReadonlyArray<number>): number => quantile(xs, 0.5);
