import { describe, expect, it } from "vitest";
import { loadConfig, loadConsumerConfig, loadSweeperConfig } from "../../adapters/config.js";

const lambdaEnv = {
  CARTWRIGHT_STORE: "dynamodb",
  TABLE_NAME: "cartwright-dev",
  JWT_SECRET: "s".repeat(32),
  CORS_ORIGINS: "https://shop.example.com, https://admin.example.com",
  HOLD_TTL_SECONDS: "600",
  AWS_LAMBDA_LOG_LEVEL: "WARN",
};

describe("config.loadConfig", () => {
  it("reads exactly what the deployed stack sets, with defaults for the rest", () => {
    expect(loadConfig(lambdaEnv, "lambda")).toEqual({
      store: "dynamodb",
      tableName: "cartwright-dev",
      jwt: { keys: { secret: "s".repeat(32) }, issuer: "cartwright", audience: "cartwright-api", ttlSeconds: 3600 },
      corsOrigins: ["https://shop.example.com", "https://admin.example.com"],
      holdTtlMs: 600_000,
      maxUnitsPerProduct: 10,
      maxUnpaidOrders: 3,
      port: 3000,
      dynamodbEndpoint: undefined,
      logLevel: "warn",
      requestTimeoutMs: 8_000,
      authLimits: { perIp: { max: 10, windowMs: 60_000 }, perAccount: { max: 10, windowMs: 900_000 } },
      payments: { settings: { provider: "none" }, windowMs: 30 * 60_000, manualPayments: false },
      docs: false,
    });
  });

  it("reads the signing keys from an SSM parameter when JWT_SECRET_PARAMETER is set (the key is then not in the environment)", () => {
    const { JWT_SECRET: _, ...withoutSecret } = lambdaEnv;
    expect(loadConfig({ ...withoutSecret, JWT_SECRET_PARAMETER: "/cartwright/dev/jwt-signing-keys" }, "lambda").jwt.keys).toEqual({ parameter: "/cartwright/dev/jwt-signing-keys" });
    expect(() => loadConfig(withoutSecret, "lambda")).toThrow("Invalid configuration: JWT_SECRET is required");
  });

  it("trusts the Cognito user pool COGNITO_* names (then no JWT secret is needed), and names a bad or missing companion variable", () => {
    const { JWT_SECRET: _, ...withoutSecret } = lambdaEnv;
    const pool = { COGNITO_USER_POOL_ID: "eu-west-1_AbC123", COGNITO_CLIENT_ID: "4abc5def" };
    expect(loadConfig({ ...withoutSecret, ...pool }, "lambda").cognito).toEqual({ userPoolId: "eu-west-1_AbC123", clientId: "4abc5def" });
    expect(loadConfig(lambdaEnv, "lambda").cognito).toBeUndefined();
    expect(() => loadConfig({ ...lambdaEnv, ...pool, COGNITO_USER_POOL_ID: "local_pool" }, "lambda")).toThrow("Invalid configuration: COGNITO_USER_POOL_ID must be a user pool id");
    expect(() => loadConfig({ ...lambdaEnv, COGNITO_USER_POOL_ID: "eu-west-1_AbC123" }, "lambda")).toThrow("Invalid configuration: COGNITO_CLIENT_ID is required");
  });

  it("uses Stripe when its secret key is set, requiring the publishable key and webhook secret with it", () => {
    const stripe = { STRIPE_SECRET_KEY: "sk_test_abc", STRIPE_PUBLISHABLE_KEY: "pk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abc", PAYMENT_WINDOW_MINUTES: "45", MANUAL_PAYMENTS: "true" };
    expect(loadConfig({ ...lambdaEnv, ...stripe }, "lambda").payments).toEqual({
      settings: { provider: "stripe", secretKey: "sk_test_abc", publishableKey: "pk_test_abc", webhookSecret: "whsec_abc" },
      windowMs: 45 * 60_000,
      manualPayments: true,
    });
    expect(() => loadConfig({ ...lambdaEnv, STRIPE_SECRET_KEY: "sk_test_abc" }, "lambda")).toThrow("Invalid configuration: STRIPE_PUBLISHABLE_KEY is required for Stripe payments");
    expect(() => loadConfig({ ...lambdaEnv, STRIPE_SECRET_KEY: "pk_test_abc" }, "lambda")).toThrow("Invalid configuration: STRIPE_SECRET_KEY must be a Stripe secret key");
    expect(loadConfig({}, "local").payments.settings.provider).toBe("simulated");
  });

  it("reads Stripe's keys from an SSM parameter when STRIPE_PARAMETER is set (no Stripe secret in the environment)", () => {
    const settings = loadConfig({ ...lambdaEnv, PAYMENT_PROVIDER: "stripe", STRIPE_PARAMETER: "/cartwright/prod/stripe", STRIPE_PUBLISHABLE_KEY: "pk_live_abc" }, "lambda").payments.settings;
    expect(settings).toEqual({ provider: "stripe", parameter: "/cartwright/prod/stripe", publishableKey: "pk_live_abc" });
    expect(() => loadConfig({ ...lambdaEnv, STRIPE_PARAMETER: "/cartwright/prod/stripe" }, "lambda")).toThrow("Invalid configuration: STRIPE_PUBLISHABLE_KEY is required for Stripe payments");
  });

  it("signs each partner's webhooks with that partner's own secret, and on Lambda needs one for every partner with a URL", async () => {
    const urls = { WAREHOUSE_WEBHOOK_URL: "https://w.example/hook", DELIVERY_WEBHOOK_URL: "https://d.example/hook" };
    const own = loadConsumerConfig({ TABLE_NAME: "t", ...urls, WAREHOUSE_WEBHOOK_SECRET: "w".repeat(32), DELIVERY_WEBHOOK_SECRET: "d".repeat(32) }, "lambda");
    expect([await own.webhooks.secretFor!("warehouse"), await own.webhooks.secretFor!("delivery")]).toEqual(["w".repeat(32), "d".repeat(32)]);
    expect(() => loadConsumerConfig({ TABLE_NAME: "t", ...urls }, "lambda")).toThrow("Invalid configuration: WEBHOOK_SECRETS_PARAMETER or WAREHOUSE_WEBHOOK_SECRET is required when WAREHOUSE_WEBHOOK_URL is set");
    expect(loadConsumerConfig({ TABLE_NAME: "t", ...urls, WEBHOOK_SECRETS_PARAMETER: "/cartwright/prod/partner-webhook-secrets" }, "lambda").webhooks.urls).toEqual({ warehouse: urls.WAREHOUSE_WEBHOOK_URL, delivery: urls.DELIVERY_WEBHOOK_URL });
  });

  it("logs at LOG_LEVEL (info by default), unless Lambda's logging controls set AWS_LAMBDA_LOG_LEVEL", () => {
    const { AWS_LAMBDA_LOG_LEVEL: _, ...plain } = lambdaEnv;
    expect(loadConfig(plain, "lambda").logLevel).toBe("info");
    expect(loadConfig({ ...plain, LOG_LEVEL: "debug" }, "lambda").logLevel).toBe("debug");
    expect(loadConfig({ ...plain, LOG_LEVEL: "debug", AWS_LAMBDA_LOG_LEVEL: "ERROR" }, "lambda").logLevel).toBe("error");
    expect(() => loadConfig({ ...plain, LOG_LEVEL: "loud" }, "lambda")).toThrow("Invalid configuration: LOG_LEVEL must be one of trace, debug, info, warn, error, fatal");
  });

  it.each([
    [{ JWT_SECRET: undefined }, "Invalid configuration: JWT_SECRET is required"],
    [{ JWT_SECRET: "too-short" }, "Invalid configuration: JWT_SECRET must be at least 32 characters"],
    [{ TABLE_NAME: undefined }, "Invalid configuration: TABLE_NAME is required"],
    [{ CARTWRIGHT_STORE: "postgres" }, 'Invalid configuration: CARTWRIGHT_STORE must be "dynamodb" or "memory"'],
    [{ HOLD_TTL_SECONDS: "15m" }, "Invalid configuration: HOLD_TTL_SECONDS must be a whole number"],
    [{ HOLD_TTL_SECONDS: "0" }, "Invalid configuration: HOLD_TTL_SECONDS must be between 1 and 604800"],
    [{ CORS_ORIGINS: "https://ok.example,*" }, "Invalid configuration: CORS_ORIGINS must be a comma-separated list of origins"],
  ])("stops a Lambda cold start on %j with one line naming the variable", (override, message) => {
    const run = () => loadConfig({ ...lambdaEnv, ...override }, "lambda");
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("\n");
    }
  });

  it("runs locally with no environment at all: a per-run random JWT secret and a 15-minute hold", () => {
    const a = loadConfig({}, "local");
    const b = loadConfig({}, "local");
    expect(a).toMatchObject({ store: "dynamodb", tableName: "cartwright-local", holdTtlMs: 900_000, port: 3000 });
    const secretOf = (c: typeof a) => ("secret" in c.jwt.keys ? c.jwt.keys.secret : "");
    expect(secretOf(a).length).toBeGreaterThanOrEqual(32);
    expect(secretOf(a)).not.toBe(secretOf(b));
    expect(loadConfig({ CARTWRIGHT_STORE: "memory", PORT: "0", HOLD_TTL_SECONDS: "" }, "local")).toMatchObject({ store: "memory", port: 0, holdTtlMs: 900_000 });
  });
});

describe("config.loadSweeperConfig", () => {
  it("needs only the table, which the sweeper's stack sets", () => {
    expect(loadSweeperConfig({ CARTWRIGHT_STORE: "dynamodb", TABLE_NAME: "t" })).toEqual({
      store: "dynamodb",
      tableName: "t",
      dynamodbEndpoint: undefined,
      payments: { settings: { provider: "none" }, windowMs: 30 * 60_000, manualPayments: false },
    });
    expect(() => loadSweeperConfig({})).toThrow("TABLE_NAME is required");
  });
});
