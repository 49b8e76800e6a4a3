/**
 * What every `npm run` script shares: arguments parsed by `node:util` `parseArgs` (an unknown flag or a bad
 * value prints the usage and exits 2; `--flag value` and `--flag=value` both work; `--help` prints the usage),
 * and errors a user can act on printed as one line (exit 1) instead of a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import "./supported-node.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export const usageError = (usage: string, why: string): never => {
  console.error(`${why}\nusage: ${usage}`);
  process.exit(2);
};

/** Parses process.argv with the given options; exits 2 with the usage on anything it does not know. */
export const parseCli = <const T extends { readonly options: Options; readonly allowPositionals?: boolean }>(usage: string, config: T) => {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  try {
    return parseArgs({ ...config, args, strict: true });
  } catch (error) {
    return usageError(usage, error instanceof Error ? error.message : String(error));
  }
};

/** A numeric flag: its value, or the fallback when absent; a usage error when not a number within bounds. */
export const numberFlag = (usage: string, name: string, value: string | undefined, fallback: number, min = 1): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= min && value.trim() !== "" ? n : usageError(usage, `--${name} must be a number ≥ ${min}, got "${value}"`);
};

/** Prints one line and exits 1. */
export const fail = (message: string): never => {
  console.error(message);
  process.exit(1);
};

const oneLineErrors = new Set(["ConfigError", "JavaMissingError", "RunError"]);

/** Errors a user causes and can fix (a config value, a missing tool) become their one-line message; anything else is a bug and keeps its stack. */
export const runMain = (main: () => Promise<void>): Promise<void> =>
  main().catch((error: unknown) => {
    const e = error as { name?: string; message?: string; __pulumiRunError?: boolean };
    if (error instanceof Error && (oneLineErrors.has(e.name ?? "") || e.__pulumiRunError === true)) fail(e.message ?? String(error));
    throw error;
  });
