import { createConfig, lintFromString } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestApi, type TestApi } from "./support.js";

let api: TestApi;
let spec: { paths: Record<string, Record<string, { operationId?: string }>>; components: { schemas: Record<string, unknown> } };
beforeAll(async () => {
  api = await makeTestApi();
  spec = (await api.request({ url: "/openapi.json" })).json();
});
afterAll(() => api.close());

const lint = async () => {
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({ source: JSON.stringify(spec), absoluteRef: "openapi.json", config });
  return problems.map((p) => ({ severity: p.severity, rule: p.ruleId, at: p.location[0]?.pointer, message: p.message }));
};

describe("GET /openapi.json", () => {
  it("has no error and no warning under Redocly's recommended ruleset but the absent licence (a private project) and no 4xx where no request can be refused", async () => {
    const problems = await lint();
    // Liveness, readiness and the category list take no input and no token: they document no 4xx they never send.
    const noInput = ["/health", "/health/ready", "/api/categories"].map((path) => `#/paths/${path.replaceAll("/", "~1")}/get/responses`);
    expect(problems.filter((p) => p.rule === "operation-4xx-response").map((p) => p.at)).toEqual(noInput);
    expect(problems.filter((p) => p.rule !== "info-license" && p.rule !== "operation-4xx-response")).toEqual([]);
  });

  it("names every operation uniquely, for generated clients", () => {
    const ids = Object.values(spec.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("shows an example for every JSON request body", () => {
    // @fastify/swagger moves a schema's single example to the media type's `example`.
    type Op = { requestBody?: { content: Record<string, { example?: unknown }> } };
    const missing = Object.entries(spec.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, Op>)
        .filter(([, op]) => op.requestBody !== undefined && op.requestBody.content["application/json"]?.example === undefined)
        .map(([method]) => `${method} ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it("refers to named views as components and has no refinement titles", () => {
    expect(Object.keys(spec.components.schemas)).toEqual(expect.arrayContaining(["Cart", "Order", "Payment", "Problem", "Product"]));
    expect(JSON.stringify(spec)).not.toMatch(/"title":"(?:\w+\(|int")/);
  });
});
