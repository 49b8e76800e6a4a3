// A DynamoDB endpoint for `bench:lambda --store=stand-in`: a table of one item (CANNED_ITEM, as the store wrote it),
// answered at once from memory. GetItem by its key, Query by its partition key; anything else is empty, and any other
// operation a ValidationException. Requests are not checked further (nor signed ones verified): it stands in for the
// engine's time only, so that the bench measures what each handler does around the same request and answer.
import { createServer } from "node:http";

const item = JSON.parse(process.env.CANNED_ITEM);
const json = (value) => Buffer.from(JSON.stringify(value));
const answer = (target, input) => {
  switch (target) {
    case "DynamoDB_20120810.GetItem":
      return input.Key?.PK?.S === item.PK.S && input.Key?.SK?.S === item.SK.S ? { Item: item } : {};
    case "DynamoDB_20120810.Query": {
      const found = Object.values(input.ExpressionAttributeValues ?? {}).some((v) => v.S === item.PK.S) && input.IndexName === undefined;
      return { Count: found ? 1 : 0, ScannedCount: found ? 1 : 0, Items: found ? [item] : [] };
    }
    default:
      return undefined;
  }
};

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const out = answer(req.headers["x-amz-target"], JSON.parse(Buffer.concat(chunks).toString() || "{}"));
    const body = json(out ?? { __type: "com.amazon.coral.validate#ValidationException", message: `the stand-in does not answer ${req.headers["x-amz-target"]}` });
    res.writeHead(out === undefined ? 400 : 200, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "stand-in", "content-length": body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
