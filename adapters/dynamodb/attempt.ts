/** How one SDK command is sent as a single, observed attempt. */

type Handler = (args: unknown) => Promise<unknown>;
interface Stack {
  add(middleware: (next: Handler) => Handler, options: object): void;
}

// Overrides the client's retry middleware for this command only: attempts are counted here. The
// innermost middleware marks the moment the request goes to the HTTP handler: from then on, a write
// with no answer may have committed.
export const singleAttempt = <C extends { readonly middlewareStack: unknown }>(command: C, onSent: () => void): C => {
  const stack = command.middlewareStack as Stack;
  stack.add((next) => (args) => next(args), { name: "retryMiddleware", step: "finalizeRequest", priority: "high", tags: ["RETRY"], override: true });
  stack.add((next) => (args) => (onSent(), next(args)), { name: "sentMarker", step: "deserialize", priority: "low", override: true });
  return command;
};

/** A failure's name for the log: the SDK's exception name, else a network code. */
export const nameOf = (error: unknown): string => {
  const e = error as { name?: unknown; code?: unknown };
  return typeof e?.name === "string" && e.name !== "Error" ? e.name : typeof e?.code === "string" ? e.code : "an error";
};
