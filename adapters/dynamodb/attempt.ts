/**
 * How one SDK command is sent as a single, observed attempt, through a middleware chain resolved once per
 * command class (what the SDK's own `cacheMiddleware: true` does, which it allows only for calls without
 * per-call options, and an attempt needs its own abort signal).
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

type Handler = (args: any) => Promise<any>;
interface Stack {
  add(middleware: (next: Handler) => Handler, options: object): void;
}
interface CommandLike {
  readonly input: object;
  readonly middlewareStack: unknown;
  resolveMiddleware(clientStack: unknown, configuration: unknown, options: undefined): Handler;
}
interface Transport {
  handle(request: unknown, options: { abortSignal: AttemptSignal }): Promise<unknown>;
}

/**
 * The abort signal the SDK's transport takes (`@smithy/types` `AbortSignal`): a flag and an `onabort` it sets.
 * An `AbortController` would do, but its EventTarget costs ~10 µs of CPU per attempt (creation, listener added and
 * removed) against nothing for this object. A late abort cannot harm a reused connection: once a keep-alive response
 * has ended, Node marks the request destroyed and `destroy()` does nothing.
 */
export interface AttemptSignal {
  readonly aborted: boolean;
  onabort: ((...args: never[]) => unknown) | null;
}

/** A signal for one attempt, and the function that aborts it (once; later calls do nothing). */
export const attemptSignal = (): { readonly signal: AttemptSignal; readonly abort: () => void } => {
  const signal = { aborted: false, onabort: null as AttemptSignal["onabort"] };
  return {
    signal,
    abort: () => {
      if (signal.aborted) return;
      signal.aborted = true;
      signal.onabort?.();
    },
  };
};

/** What one attempt gives the innermost middleware: its abort signal, and whom to tell once the request goes out. */
export interface AttemptHooks {
  readonly signal: AttemptSignal;
  readonly onSent: () => void;
}

/** Sends a command as one attempt: no SDK retry, its own abort signal, `onSent` just before the request is handed to the transport. */
export type SendAttempt = <O>(command: CommandLike, hooks: AttemptHooks) => Promise<O>;

/**
 * Resolving a command's middleware chain (what `client.send` does on every call) costs about as much CPU as
 * the rest of a store request: here each command class resolves it once, on first use, and every later
 * command of that class runs through it. Per-call state cannot live in the chain's shared context, so each
 * attempt's hooks are found by its input object, which every step passes on. The innermost middleware calls the
 * client's transport itself, with the attempt's abort signal (an aborted attempt closes its connection).
 * Middleware added to the client after a class's first use is not seen by it (as with `cacheMiddleware`).
 */
export const attemptSender = (client: DynamoDBClient): SendAttempt => {
  const hooksOf = new WeakMap<object, AttemptHooks>();
  const handlers = new Map<Function, Handler>();
  const config = client.config as unknown as { readonly requestHandler: Transport };
  const resolve = (command: CommandLike): Handler => {
    const stack = command.middlewareStack as Stack;
    // The client's retry middleware, overridden for these commands only: attempts are counted by the caller.
    stack.add((next) => (args) => next(args), { name: "retryMiddleware", step: "finalizeRequest", priority: "high", tags: ["RETRY"], override: true });
    // From the moment the request goes to the transport, a write with no answer may have committed.
    stack.add(
      () => (args: { input: object; request: unknown }) => {
        const hooks = hooksOf.get(args.input);
        if (hooks === undefined) return Promise.reject(new Error("a store request lost track of its attempt (its input object was replaced)"));
        hooks.onSent();
        return config.requestHandler.handle(args.request, { abortSignal: hooks.signal });
      },
      { name: "attemptTransport", step: "deserialize", priority: "low", override: true },
    );
    return command.resolveMiddleware(client.middlewareStack, client.config, undefined);
  };
  return <O>(command: CommandLike, hooks: AttemptHooks): Promise<O> => {
    let handler = handlers.get(command.constructor);
    if (handler === undefined) {
      handler = resolve(command);
      handlers.set(command.constructor, handler);
    }
    hooksOf.set(command.input, hooks);
    return handler(command).then((result: { output: O }) => result.output);
  };
};

/** A failure's name for the log: the SDK's exception name, else a network code. */
export const nameOf = (error: unknown): string => {
  const e = error as { name?: unknown; code?: unknown };
  return typeof e?.name === "string" && e.name !== "Error" ? e.name : typeof e?.code === "string" ? e.code : "an error";
};
