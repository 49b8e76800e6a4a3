/**
 * Readable stacks for defects without `--enable-source-maps`, whose map loading costs every cold start
 * ~100 ms: a logged error's stack is mapped here, reading a bundle's .map file only when a frame in that
 * bundle is first logged. Frames without a map (unbundled code, node internals) stay as they are.
 */
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

const maps = new Map<string, SourceMap | undefined>();

const mapOf = (file: string): SourceMap | undefined => {
  if (!maps.has(file)) {
    try {
      maps.set(file, new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8"))));
    } catch {
      maps.set(file, undefined);
    }
  }
  return maps.get(file);
};

// "at fn (file:///var/task/index.mjs:1:2345)" or "at /var/task/chunks/x.mjs:1:99"
const frame = /((?:file:\/\/)?\/[^\s():]+\.m?js):(\d+):(\d+)/g;

export const mapStack = (stack: string): string =>
  stack.replace(frame, (whole, location: string, line: string, column: string) => {
    const file = location.startsWith("file://") ? fileURLToPath(location) : location;
    const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (!entry?.originalSource) return whole;
    return `${entry.originalSource.replace(/^(\.\.\/)+/, "")}:${(entry.originalLine ?? 0) + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });

/** pino's `err` serializer, with mapped stacks (and mapped frames inside a Defect's message, which carries its cause's stack). */
export const mappedErr = (e: Error): { [key: string]: unknown; type: string; message: string; stack: string } => ({
  type: e.name,
  message: mapStack(e.message),
  stack: mapStack(e.stack ?? ""),
  ...("code" in e ? { code: (e as { code: unknown }).code } : {}),
});
