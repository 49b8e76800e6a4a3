/** A local stand-in for EventBridge's PutEvents (AWS JSON 1.1), so the adapter's calls can be tested offline. */
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface PutEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
}

export interface FakeEventBridge {
  readonly endpoint: string;
  /** Every PutEvents call's entries, in arrival order. */
  readonly calls: Array<ReadonlyArray<PutEntry>>;
  /** Entries accepted, in order. */
  readonly accepted: Array<PutEntry>;
  close(): Promise<void>;
}

const body = async (req: IncomingMessage) => {
  const chunks: Array<Buffer> = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Entries: Array<PutEntry> };
};

/** `refuse(entry, call)`: that entry fails in a 200 answer; `failCall(call)`: the whole call answers 500. */
export const startFakeEventBridge = async (
  refuse: (entry: PutEntry, call: number) => boolean = () => false,
  failCall: (call: number) => boolean = () => false,
): Promise<FakeEventBridge> => {
  const calls: Array<ReadonlyArray<PutEntry>> = [];
  const accepted: Array<PutEntry> = [];
  const server = createServer(async (req, res) => {
    const { Entries } = await body(req);
    const call = calls.push(Entries);
    res.setHeader("content-type", "application/x-amz-json-1.1");
    if (failCall(call)) {
      res.statusCode = 500;
      return res.end(JSON.stringify({ __type: "InternalException", message: "try again" }));
    }
    const answer = Entries.map((e, i) => (refuse(e, call) ? { ErrorCode: "InternalFailure", ErrorMessage: "refused" } : (accepted.push(e), { EventId: `id-${call}-${i}` })));
    res.end(JSON.stringify({ FailedEntryCount: answer.filter((a) => "ErrorCode" in a).length, Entries: answer }));
  }).listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, calls, accepted, close: () => new Promise((done) => server.close(() => done())) };
};
