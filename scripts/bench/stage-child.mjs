// One handler, imported once; each round the parent sends untimed setup events, then the timed events, and
// gets back their durations (µs) and, when asked, a CPU profile of the timed invokes only.
import { Session } from "node:inspector/promises";

const { handler } = await import(process.argv[2]);
const context = { functionName: "bench", awsRequestId: "bench", getRemainingTimeInMillis: () => 10_000 };
const session = new Session();
session.connect();
let n = 0;

const invoke = async (event) => {
  const res = await handler({ ...event, requestContext: { ...event.requestContext, requestId: `s-${++n}` } }, context);
  if (res.statusCode >= 300) throw new Error(`${event.requestContext.http.method} ${event.rawPath} answered ${res.statusCode}: ${res.body}`);
};

process.on("message", async ({ setups, events, profile, intervalUs }) => {
  for (const event of setups) await invoke(event);
  if (profile) {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: intervalUs });
    await session.post("Profiler.start");
  }
  const durations = [];
  for (const event of events) {
    const t0 = performance.now();
    await invoke(event);
    durations.push((performance.now() - t0) * 1000);
  }
  const result = profile ? (await session.post("Profiler.stop")).profile : undefined;
  process.send({ durations, profile: result });
});
process.send({ ready: true });
