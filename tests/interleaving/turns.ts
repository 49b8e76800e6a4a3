/**
 * A deterministic scheduler for concurrent use cases: each task waits at a gate before every store call,
 * and exactly one call runs at a time, in an order picked from a list of choices (fast-check shrinks it).
 * Between two calls nothing is in flight, so the stored state can be checked at every step.
 */
import { Effect } from "effect";

export class Turns {
  /** Calls waiting for their turn, in arrival order (a task may wait with several: a use case can read concurrently). */
  private readonly waiting: Array<{ readonly task: number; readonly label: string; readonly go: () => void }> = [];
  private readonly live = new Set<number>();
  private running = 0;
  /** `task:label` of each call in the order it ran. */
  readonly trace: Array<string> = [];

  /** Runs `body` as task `id`; its store calls must go through `gate(id, …)`. */
  start<A>(id: number, body: () => Promise<A>): Promise<A> {
    this.live.add(id);
    return body().finally(() => this.live.delete(id));
  }

  gate =
    (id: number) =>
    <A, E>(label: string, call: Effect.Effect<A, E>): Effect.Effect<A, E> =>
      Effect.acquireUseRelease(
        Effect.promise(() => new Promise<void>((go) => this.waiting.push({ task: id, label, go }))),
        () => call,
        () => Effect.sync(() => this.running--),
      );

  /** A step that is not a store call (a clock tick) but takes its turn like one. */
  step = (id: number, label: string, act: () => void): Promise<void> =>
    Effect.runPromise(this.gate(id)(label, Effect.sync(act)));

  private settled(): boolean {
    return this.running === 0 && [...this.live].every((id) => this.waiting.some((w) => w.task === id));
  }

  /** Waits until no call is running and every live task waits at a gate (twice in a row: concurrent reads arrive a tick apart). */
  async settle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let stable = 0; stable < 2; stable = this.settled() ? stable + 1 : 0) {
      if (Date.now() > deadline) throw new Error(`tasks did not settle; ran so far: ${this.trace.join(", ")}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Lets the task `pick` names among the waiting ones make its earliest waiting call; false when none waits. */
  release(pick: Pick, step: number): boolean {
    const ready = [...new Set(this.waiting.map((w) => w.task))].sort((a, b) => a - b);
    if (ready.length === 0) return false;
    const id = pick(ready, step);
    const at = this.waiting.findIndex((w) => w.task === id);
    const turn = this.waiting[at];
    if (!turn) throw new Error(`task ${id} is not waiting`);
    this.waiting.splice(at, 1);
    this.running++;
    this.trace.push(`${id}:${turn.label}`);
    turn.go();
    return true;
  }

  /** Settles, checks, releases one call, and so on until every task is done; returns the number of steps. */
  async interleave(pick: Pick, afterEachStep: () => Promise<void>): Promise<number> {
    for (let step = 0; ; step++) {
      await this.settle();
      await afterEachStep();
      if (!this.release(pick, step)) return step;
    }
  }
}

/** Chooses which ready task runs at a step. */
export type Pick = (ready: ReadonlyArray<number>, step: number) => number;

/**
 * Probabilistic concurrency testing (PCT, Burckhardt et al. 2010): the ready task of highest priority
 * runs; at each change point the task that just ran drops below all others. A race that needs d
 * preemptions is found with a few change points, where uniform random choices need long lucky runs.
 */
export const pct = (priorities: ReadonlyArray<number>, changePoints: ReadonlyArray<number>): Pick => {
  const priority = new Map(priorities.map((p, id) => [id, p]));
  let lowest = 0;
  return (ready, step) => {
    const id = ready.reduce((best, t) => ((priority.get(t) ?? 0) > (priority.get(best) ?? 0) ? t : best));
    if (changePoints.includes(step)) priority.set(id, --lowest);
    return id;
  };
};
