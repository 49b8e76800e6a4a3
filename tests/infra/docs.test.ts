import { describe, expect, it } from "vitest";
import { runStack, stackFileConfig } from "../../infra/mocks/run.js";
import { env, named, types } from "./helpers.js";

describe("Stack config api.docs", () => {
  it("serves no docs on any stack whose file does not say so, and tells the API to when it does", async () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const run = await runStack(stack);
      expect(env(named(run, types.fn, "api-function")).API_DOCS, stack).toBeUndefined();
    }
    const config = await stackFileConfig("dev");
    const api = { ...JSON.parse(config["cartwright:api"]!), docs: true };
    const run = await runStack("dev", { config: { ...config, "cartwright:api": JSON.stringify(api) } });
    expect(env(named(run, types.fn, "api-function")).API_DOCS).toBe("true");
  });
});
