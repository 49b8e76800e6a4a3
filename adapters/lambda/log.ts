/**
 * The non-HTTP functions' log lines: one JSON object per line on stdout (as the API's pino lines), at or
 * above the level Lambda's logging controls set (AWS_LAMBDA_LOG_LEVEL), or LOG_LEVEL, or info.
 */
const rank = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type Level = keyof typeof rank;

const threshold = rank[(process.env.AWS_LAMBDA_LOG_LEVEL ?? process.env.LOG_LEVEL ?? "info").toLowerCase() as Level] ?? rank.info;

export const log = (level: Level, msg: string, fields: Record<string, unknown> = {}): void => {
  // Straight to stdout: with Lambda's JSON log format, console.log would wrap the line in another object.
  if (rank[level] >= threshold) process.stdout.write(`${JSON.stringify({ level, time: Date.now(), msg, ...fields })}\n`);
};
