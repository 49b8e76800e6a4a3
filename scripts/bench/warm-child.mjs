// One handler, imported once; the parent asks for rounds of sequential invokes and gets their durations (µs).
const { handler } = await import(process.argv[2]);
const event = JSON.parse(process.argv[3]);
const context = { functionName: "bench", awsRequestId: "bench", getRemainingTimeInMillis: () => 10_000 };

process.on("message", async ({ invokes }) => {
  const durations = [];
  for (let i = 0; i < invokes; i++) {
    const t0 = performance.now();
    const res = await handler({ ...event, requestContext: { ...event.requestContext, requestId: `w-${i}` } }, context);
    durations.push((performance.now() - t0) * 1000);
    if (res.statusCode !== 200) throw new Error(`answered ${res.statusCode}`);
  }
  process.send({ durations });
});
process.send({ ready: true });
