/** A local stand-in for SSM's GetParameter (JSON 1.1 protocol): a parameter store in a Map, every call counted. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeSsm {
  readonly endpoint: string;
  readonly parameters: Map<string, string>;
  readonly calls: Array<{ readonly name: string; readonly withDecryption: boolean }>;
  /** Answers the next n calls with a 500. */
  failNext(n: number): void;
  close(): Promise<void>;
}

export const startFakeSsm = async (): Promise<FakeSsm> => {
  const parameters = new Map<string, string>();
  const calls: FakeSsm["calls"] = [];
  let failing = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(json));
      };
      if (req.headers["x-amz-target"] !== "AmazonSSM.GetParameter") return send(400, { __type: "UnknownOperationException" });
      const input = JSON.parse(body) as { Name: string; WithDecryption?: boolean };
      calls.push({ name: input.Name, withDecryption: input.WithDecryption === true });
      if (failing > 0) {
        failing--;
        return send(500, { __type: "InternalServerError", message: "unavailable" });
      }
      const value = parameters.get(input.Name);
      if (value === undefined) return send(400, { __type: "ParameterNotFound", message: `Parameter ${input.Name} not found.` });
      send(200, { Parameter: { Name: input.Name, Type: "SecureString", Value: value, Version: 1 } });
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    parameters,
    calls,
    failNext: (n) => void (failing = n),
    close: () => new Promise((done) => server.close(() => done())),
  };
};
