/**
 * Stream-triggered Lambda: the outbox inserts of the table's stream (the event source mapping filters
 * them) go to the stack's EventBridge bus. Only the records whose events the bus refused are reported,
 * so only they are retried; the mapping's retries, bisection and on-failure queue handle the rest.
 */
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { Effect } from "effect";
import { loadRelayConfig } from "../config.js";
import { EventBridgeBus } from "../events/eventbridge.js";
import { relayRecords, type StreamRecord } from "../events/relay.js";
import { coldStartConfig } from "./cold-start.js";
import { log } from "./log.js";

const config = coldStartConfig(() => loadRelayConfig(process.env));
const bus = EventBridgeBus(new EventBridgeClient({}), config.busName);

export const handler = async (event: { readonly Records: ReadonlyArray<StreamRecord> }) => {
  const report = await Effect.runPromise(relayRecords(event.Records).pipe(Effect.provide(bus)));
  const fields = { records: event.Records.length, published: report.published, failed: report.failed.length, unreadable: report.unreadable };
  log(report.failed.length > 0 ? "error" : "info", "relayed outbox events", fields);
  return { batchItemFailures: report.failed.map((itemIdentifier) => ({ itemIdentifier })) };
};
