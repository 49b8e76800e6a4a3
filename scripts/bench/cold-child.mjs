// A fresh process: imports a built handler (Lambda's init), invokes it once with the event, reports the times on
// stderr. A file, not `node -e`: its code would be in process.execArgv, which a code cache is tied to.
// With a third argument, the handler's answer is written to that file (a training invocation's cache).
import { writeFileSync } from "node:fs";

const [bundle, event, out] = process.argv.slice(2);
const context = { functionName: "bench", awsRequestId: "bench", getRemainingTimeInMillis: () => 10_000 };
const t0 = performance.now();
const { handler } = await import(bundle);
const t1 = performance.now();
const res = await handler(JSON.parse(event), context);
const t2 = performance.now();
if (out) writeFileSync(out, JSON.stringify(res));
process.stderr.write(`${JSON.stringify({ init: t1 - t0, firstInvoke: t2 - t1, status: res.statusCode })}\n`);
process.exit(0);
