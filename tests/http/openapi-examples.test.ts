import { createConfig, lintFromString } from "@redocly/openapi-core";
import { Either, Schema } from "effect";
import Fastify from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDocsApp } from "../../adapters/http/docs-app.js";
import { partDecoder } from "../../adapters/http/decode.js";
import { requestExamples } from "../../adapters/http/examples.js";
import { operationIdOf } from "../../adapters/http/openapi.js";
import { problemExampleOperations } from "../../adapters/http/problem-examples.js";
import { responseExamples } from "../../adapters/http/response-examples.js";
import type { RouteSpec } from "../../adapters/http/route.js";
import { defaultAuthLimits } from "../../adapters/http/routes/auth.js";
import { declareRoutes } from "../../adapters/http/routes/index.js";
import { noCompilers } from "../../adapters/http/schema-compilers.js";
import { ProblemView } from "../../adapters/http/views.js";
import { builtInIdentity } from "../../adapters/identity/built-in.js";

type Media = { schema: unknown; example?: unknown };
type Operation = { operationId: string; parameters?: unknown[]; requestBody?: { content: Record<string, Media> }; responses: Record<string, { content?: Record<string, Media> }> };
type Spec = { paths: Record<string, Record<string, Operation>> };

let spec: Spec;
const routes = new Map<string, RouteSpec<any, any, any, any, any, any>>();
beforeAll(async () => {
  const docs = await buildDocsApp({});
  spec = (await docs.inject({ url: "/docs/json" })).json();
  await docs.close();
  // The routes as declared: the schemas each one decodes its request and encodes its answer with.
  const app = Fastify({ logger: false, schemaController: noCompilers });
  const identity = builtInIdentity({ secret: "x".repeat(32), issuer: "test", audience: "test", ttlSeconds: 60 });
  const run = () => Promise.reject(new Error("never run"));
  declareRoutes(app, { run, identity, requestTimeoutMs: 1, describe: (s) => (routes.set(operationIdOf(s.method, s.url), s), {}) }, { limits: defaultAuthLimits });
  await app.ready();
  await app.close();
});

const operations = () => Object.values(spec.paths).flatMap((ops) => Object.values(ops));
const mediaOf = (op: Operation) => [
  ...Object.entries(op.requestBody?.content ?? {}).map(([type, media]) => ({ at: `${op.operationId} request ${type}`, status: undefined, media })),
  ...Object.entries(op.responses).flatMap(([status, r]) => Object.entries(r.content ?? {}).map(([type, media]) => ({ at: `${op.operationId} ${status} ${type}`, status, media }))),
];
const decodes = (schema: Schema.Schema<any, any>, value: unknown) => Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(value);

const lintExamples = async (document: unknown) => {
  const config = await createConfig({ rules: { "no-invalid-media-type-examples": { severity: "error", allowAdditionalProperties: false } } });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: "openapi.json", config });
  return problems.map((p) => `${p.location[0]?.pointer}: ${p.message}`);
};

describe("GET /openapi.json's examples", () => {
  it("has an example for every request body and every documented response of every operation", () => {
    expect(operations()).toHaveLength(routes.size);
    const missing = operations().flatMap(mediaOf).filter(({ media }) => media.example === undefined).map(({ at }) => at);
    expect(missing).toEqual([]);
    const undocumented = operations().filter((op) => !Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)) || !("5XX" in op.responses));
    expect(undocumented).toEqual([]);
    // Every example names an operation that exists: none is left behind by a renamed route.
    expect([...Object.keys(requestExamples), ...Object.keys(responseExamples), ...problemExampleOperations()].filter((id) => !routes.has(id))).toEqual([]);
  });

  it("documents a 4xx on every operation but the public ones that take no input, which cannot refuse a request", () => {
    const without4xx = operations().filter((op) => !("4XX" in op.responses)).map((op) => op.operationId);
    expect(without4xx.sort()).toEqual(["getCategories", "getHealth", "getHealthReady"]);
    const takesInput = (r: RouteSpec<any, any, any, any, any, any>) => r.access !== "public" || [r.params, r.query, r.body, r.headers].some((part) => part !== undefined);
    expect([...routes].filter(([, r]) => !takesInput(r)).map(([id]) => id).sort()).toEqual(without4xx);
  });

  it("decodes each request example with its route's decoder and each success example with its response schema, which encodes it back unchanged", () => {
    const failures: Array<string> = [];
    for (const [id, route] of routes) {
      const body = requestExamples[id];
      if (route.body !== undefined && Either.isLeft(partDecoder(route.body, "body")(body))) failures.push(`${id} request`);
      const decoded = decodes(route.response.schema, responseExamples[id]);
      if (Either.isLeft(decoded)) failures.push(`${id} ${route.response.status}: ${decoded.left.message}`);
      else expect(Schema.encodeSync(route.response.schema)(decoded.right), id).toEqual(responseExamples[id]);
    }
    expect(failures).toEqual([]);
  });

  it("shows each example as written (the spec's generator changed none of them)", () => {
    for (const op of operations()) {
      const route = routes.get(op.operationId)!;
      expect(op.responses[String(route.response.status)]!.content!["application/json"]!.example, op.operationId).toEqual(responseExamples[op.operationId]);
      if (op.requestBody) expect(op.requestBody.content["application/json"]!.example, op.operationId).toEqual(requestExamples[op.operationId]);
    }
  });

  it("gives every error response a problem+json example that decodes as a Problem with a status in its range", () => {
    const errors = operations().flatMap(mediaOf).filter((m) => m.status === "4XX" || m.status === "5XX");
    expect(errors.length).toBeGreaterThan(operations().length);
    for (const { at, status, media } of errors) {
      expect(at).toContain("application/problem+json");
      const problem = decodes(ProblemView, media.example);
      expect(Either.isRight(problem), at).toBe(true);
      const code = Either.getOrThrow(problem).status;
      expect(Math.floor(code / 100), at).toBe(Number(status![0]));
    }
  });

  it("conforms to the published JSON Schemas under Redocly's example validator (Ajv, no additional properties), which refuses a wrong one", async () => {
    expect(await lintExamples(spec)).toEqual([]);
    const broken = structuredClone(spec);
    const product = broken.paths["/api/products/{id}"]!.get!.responses["200"]!.content!["application/json"]!;
    (product.example as { price: { amount: unknown } }).price.amount = "12.50";
    const problem = broken.paths["/api/cart"]!.get!.responses["4XX"]!.content!["application/problem+json"]!;
    (problem.example as Record<string, unknown>)["secret"] = "x";
    expect(await lintExamples(broken)).toEqual([
      expect.stringMatching(/^#\/paths\/~1api~1products~1\{id\}\/get\/responses\/200\/.*amount.*integer/),
      expect.stringMatching(/^#\/paths\/~1api~1cart\/get\/responses\/4XX\/.*additional properties/),
    ]);
  });
});
