import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runStack, stackFileConfig } from "../../infra/mocks/run.js";

const failure = async (stack: string, config: Record<string, string>, withSecret = true): Promise<string> => {
  const error = await runStack(stack, { config, withSecret }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
};

const withApi = (config: Record<string, string>, change: (api: Record<string, unknown>) => void) => {
  const api = JSON.parse(config["cartwright:api"]!) as Record<string, unknown>;
  change(api);
  return { ...config, "cartwright:api": JSON.stringify(api) };
};

describe("Stack config", () => {
  it("fails with one line naming the missing key and the stack", async () => {
    const { "cartwright:budgetUsd": _, ...config } = await stackFileConfig("staging");
    expect(await failure("staging", config)).toBe('Invalid config for stack "staging": cartwright:budgetUsd is missing (see Pulumi.staging.yaml)');
  });

  it("names the nested key whose value has the wrong type", async () => {
    const config = withApi(await stackFileConfig("dev"), (api) => {
      api.memoryMb = "lots";
    });
    expect(await failure("dev", config)).toBe('Invalid config for stack "dev": cartwright:api.memoryMb: Expected number, actual "lots" (see Pulumi.dev.yaml)');
  });

  it("rejects a misspelt key instead of silently using a default", async () => {
    const config = withApi(await stackFileConfig("prod"), (api) => {
      api.memroyMb = 1024;
    });
    const message = await failure("prod", config);
    expect(message).toMatch(/^Invalid config for stack "prod": cartwright:api\.memroyMb is unexpected/);
    expect(message).not.toContain("\n");
  });

  it("rejects a log retention CloudWatch does not offer", async () => {
    const config = { ...(await stackFileConfig("dev")), "cartwright:logRetentionDays": "4" };
    expect(await failure("dev", config)).toMatch(/^Invalid config for stack "dev": cartwright:logRetentionDays: must be one of CloudWatch's retention periods/);
  });

  it("rejects a CORS origin the app would refuse at cold start (a path, not an origin)", async () => {
    const config = withApi(await stackFileConfig("staging"), (api) => {
      api.corsOrigins = ["https://shop.example.com/app"];
    });
    expect(await failure("staging", config)).toMatch(/^Invalid config for stack "staging": cartwright:api\.corsOrigins\.0: /);
  });

  it("requires provisioned capacity when the table is PROVISIONED", async () => {
    const config = await stackFileConfig("prod");
    const database = JSON.parse(config["cartwright:database"]!) as Record<string, unknown>;
    delete database.readCapacity;
    const message = await failure("prod", { ...config, "cartwright:database": JSON.stringify(database) });
    expect(message).toBe('Invalid config for stack "prod": cartwright:database.readCapacity is missing (see Pulumi.prod.yaml)');
  });

  it("refuses an image validator with less memory than sharp needs for the largest image it admits", async () => {
    const config = await stackFileConfig("dev");
    const media = JSON.parse(config["cartwright:media"]!) as { validator: { memoryMb: number } };
    media.validator.memoryMb = 512;
    const message = await failure("dev", { ...config, "cartwright:media": JSON.stringify(media) });
    expect(message).toMatch(/^Invalid config for stack "dev": cartwright:media\.validator\.memoryMb: /);
  });

  it("fails naming jwtSecret and the command to set it when the secret is not configured", async () => {
    expect(await failure("dev", await stackFileConfig("dev"), false)).toBe(
      'Invalid config for stack "dev": cartwright:jwtSecret is missing (run `pulumi config set --secret jwtSecret <value> --stack dev`)',
    );
  });

  it.each(["dev", "staging", "prod"])("keeps no plaintext jwtSecret in Pulumi.%s.yaml (invariant: secrets only as Pulumi secrets)", async (stack) => {
    const text = await readFile(new URL(`../../Pulumi.${stack}.yaml`, import.meta.url), "utf8");
    const config = (parse(text) as { config: Record<string, unknown> }).config;
    const secret = config["cartwright:jwtSecret"];
    expect(secret === undefined || (typeof secret === "object" && secret !== null && "secure" in secret)).toBe(true);
    expect(Object.keys(config).filter((key) => /secret|password|token/i.test(key) && key !== "cartwright:jwtSecret")).toEqual([]);
  });
});
