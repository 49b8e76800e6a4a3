import { describe, expect, it } from "vitest";
import { runStack, stackFileConfig } from "../../infra/mocks/run.js";
import { env, named, types } from "./helpers.js";

const apiEnvWith = async (change: Record<string, unknown>) => {
  const config = await stackFileConfig("dev");
  const api = { ...JSON.parse(config["cartwright:api"]!), ...change };
  const run = await runStack("dev", { config: { ...config, "cartwright:api": JSON.stringify(api) } });
  return env(named(run, types.fn, "api-function"));
};

describe("Stack config api.docs, api.maxUnitsPerProduct, api.maxUnpaidOrders", () => {
  it("serves no docs and sets no hoarding limits on a stack whose file does not say so (the app's defaults apply)", async () => {
    for (const stack of ["dev", "staging", "prod"]) {
      const environment = env(named(await runStack(stack), types.fn, "api-function"));
      expect([environment.API_DOCS, environment.HOLD_MAX_UNITS_PER_PRODUCT, environment.MAX_UNPAID_ORDERS], stack).toEqual([undefined, undefined, undefined]);
    }
  });

  it("tells the API what the file says", async () => {
    expect(await apiEnvWith({ docs: true, maxUnitsPerProduct: 4, maxUnpaidOrders: 2 })).toMatchObject({ API_DOCS: "true", HOLD_MAX_UNITS_PER_PRODUCT: "4", MAX_UNPAID_ORDERS: "2" });
  });
});
