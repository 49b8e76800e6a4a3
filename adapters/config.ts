/** Environment configuration, decoded once at start / cold start; a bad variable stops the process with one line naming it. */
import { randomBytes } from "node:crypto";
import { secretParameter } from "./secret-parameter.js";
import { Either, ParseResult, Schema } from "effect";
import type { PaymentSettings } from "./payments/layer.js";
import { type CognitoConfig, cognitoFrom } from "./identity/config.js";

/** Where the process runs: locally everything has a dev default; a deployed Lambda must be told. */
export type ConfigMode = "local" | "lambda";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const IntFromEnv = (min: number, max: number) =>
  Schema.compose(
    Schema.String.pipe(Schema.pattern(/^\d+$/, { message: () => "must be a whole number" })),
    Schema.NumberFromString,
  ).pipe(Schema.int(), Schema.between(min, max, { message: () => `must be between ${min} and ${max}` }));

const Origin = Schema.String.pipe(
  Schema.pattern(/^https?:\/\/[^/\s,]+$/, { message: () => "must be a comma-separated list of origins like https://shop.example.com" }),
);

const OriginList = Schema.transform(Schema.String, Schema.Array(Origin), {
  strict: true,
  decode: (s) => s.split(",").map((o) => o.trim()).filter((o) => o.length > 0),
  encode: (origins) => origins.join(","),
});

const Secret = Schema.String.pipe(Schema.minLength(32, { message: () => "must be at least 32 characters" }));

const Url = Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/, { message: () => "must be an http(s) URL" }));

const Name = Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" }));

const levels = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
/** pino's level names; Lambda's advanced logging controls name the same levels in capitals. */
const LogLevel = Schema.transform(Schema.String, Schema.Literal(...levels), { strict: true, decode: (s) => s.toLowerCase() as never, encode: (l) => l }).annotations({
  message: () => ({ message: `must be one of ${levels.join(", ")}`, override: true }),
});

const ApiEnv = Schema.Struct({
  CARTWRIGHT_STORE: Schema.Literal("dynamodb", "memory").annotations({ message: () => ({ message: 'must be "dynamodb" or "memory"', override: true }) }),
  TABLE_NAME: Name,
  JWT_SECRET: Schema.optional(Secret),
  /** On Lambda: the SSM SecureString parameter holding the signing keys (the stack creates it); instead of JWT_SECRET. */
  JWT_SECRET_PARAMETER: Schema.optional(Name),
  /** The signing secret before the last rotation: tokens it signed stay valid until they expire. */
  JWT_PREVIOUS_SECRET: Schema.optional(Secret),
  JWT_ISSUER: Name,
  JWT_AUDIENCE: Name,
  JWT_TTL_SECONDS: IntFromEnv(60, 7 * 24 * 3600),
  CORS_ORIGINS: OriginList,
  HOLD_TTL_SECONDS: IntFromEnv(1, 7 * 24 * 3600),
  /** How long after it was taken a live hold may still be extended to by a renewal (unset: 4 hold TTLs). */
  HOLD_MAX_AGE_SECONDS: Schema.optional(IntFromEnv(1, 30 * 24 * 3600)),
  /** Units of one product a customer may hold at once, unless the product sets its own. */
  HOLD_MAX_UNITS_PER_PRODUCT: IntFromEnv(1, 99),
  /** Placed, unpaid orders a customer may have at once. */
  MAX_UNPAID_ORDERS: IntFromEnv(1, 50),
  PORT: IntFromEnv(0, 65535),
  /** How long a local request may use the store before it answers 503 (Lambda: the invocation's remaining time). */
  REQUEST_TIMEOUT_MS: IntFromEnv(100, 900_000),
  /** Login and register attempts per client IP per window; login attempts per account per window. */
  AUTH_IP_MAX_ATTEMPTS: IntFromEnv(1, 1_000_000),
  AUTH_IP_WINDOW_SECONDS: IntFromEnv(1, 86_400),
  AUTH_ACCOUNT_MAX_ATTEMPTS: IntFromEnv(1, 1_000_000),
  AUTH_ACCOUNT_WINDOW_SECONDS: IntFromEnv(1, 86_400),
  DYNAMODB_ENDPOINT: Schema.optional(Url),
  /** Swagger UI and /openapi.json: on locally, on a stack only where its file says so. */
  API_DOCS: Schema.Literal("true", "false").annotations({ message: () => ({ message: 'must be "true" or "false"', override: true }) }),
  LOG_LEVEL: LogLevel,
  /** Set by Lambda when the function's logging config names an application log level. */
  AWS_LAMBDA_LOG_LEVEL: Schema.optional(LogLevel),
});

/**
 * Payments: Stripe when its secret key is set (test keys locally: `sk_test_…`), else the simulated provider
 * locally and none on Lambda (starting a payment is then a 503). The window and the manual switch per stack.
 */
const PaymentEnv = Schema.Struct({
  PAYMENT_PROVIDER: Schema.optional(Schema.Literal("stripe", "simulated", "none").annotations({ message: () => ({ message: 'must be "stripe", "simulated" or "none"', override: true }) })),
  STRIPE_SECRET_KEY: Schema.optional(Schema.String.pipe(Schema.pattern(/^(sk|rk)_(test|live)_\S+$/, { message: () => "must be a Stripe secret key (sk_test_… or sk_live_…)" }))),
  STRIPE_PUBLISHABLE_KEY: Schema.optional(Schema.String.pipe(Schema.pattern(/^pk_(test|live)_\S+$/, { message: () => "must be a Stripe publishable key (pk_test_…)" }))),
  STRIPE_WEBHOOK_SECRET: Schema.optional(Schema.String.pipe(Schema.pattern(/^whsec_\S+$/, { message: () => "must be a webhook signing secret (whsec_…)" }))),
  /** On Lambda: the SSM SecureString holding `{"secretKey", "webhookSecret"}` (the stack creates it); instead of those two. */
  STRIPE_PARAMETER: Schema.optional(Name),
  PAYMENT_WINDOW_MINUTES: IntFromEnv(1, 7 * 24 * 60),
  MANUAL_PAYMENTS: Schema.Literal("true", "false").annotations({ message: () => ({ message: 'must be "true" or "false"', override: true }) }),
});

export interface PaymentConfig {
  readonly settings: PaymentSettings;
  readonly windowMs: number;
  readonly manualPayments: boolean;
}

const paymentDefaults = { PAYMENT_WINDOW_MINUTES: "30", MANUAL_PAYMENTS: "false" };

const paymentsFrom = (e: typeof PaymentEnv.Type, mode: ConfigMode): PaymentConfig => {
  const provider = e.PAYMENT_PROVIDER ?? (e.STRIPE_SECRET_KEY || e.STRIPE_PARAMETER ? "stripe" : mode === "local" ? "simulated" : "none");
  const common = { windowMs: e.PAYMENT_WINDOW_MINUTES * 60_000, manualPayments: e.MANUAL_PAYMENTS === "true" };
  if (provider === "stripe" && e.STRIPE_PARAMETER !== undefined) {
    if (e.STRIPE_PUBLISHABLE_KEY === undefined) throw new ConfigError("Invalid configuration: STRIPE_PUBLISHABLE_KEY is required for Stripe payments");
    return { ...common, settings: { provider, parameter: e.STRIPE_PARAMETER, publishableKey: e.STRIPE_PUBLISHABLE_KEY } };
  }
  if (provider === "stripe") {
    for (const name of ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"] as const)
      if (e[name] === undefined) throw new ConfigError(`Invalid configuration: ${name} is required for Stripe payments`);
    return { ...common, settings: { provider, secretKey: e.STRIPE_SECRET_KEY!, publishableKey: e.STRIPE_PUBLISHABLE_KEY!, webhookSecret: e.STRIPE_WEBHOOK_SECRET! } };
  }
  if (provider === "simulated")
    return { ...common, settings: { provider, webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString("hex")}` } };
  return { ...common, settings: { provider: "none" } };
};

const SweeperEnv = ApiEnv.pick("CARTWRIGHT_STORE", "TABLE_NAME", "DYNAMODB_ENDPOINT");

const RelayEnv = Schema.Struct({ EVENT_BUS_NAME: Name });

const MailAddress = Schema.String.pipe(Schema.pattern(/^[^@\s]+@[^@\s]+$/, { message: () => "must be an email address" }));

/** The consumers' settings: sender, partner URLs (unset: that partner gets no calls) and the signing secret. */
const ConsumerEnv = Schema.Struct({
  ...SweeperEnv.fields,
  MAIL_FROM: MailAddress,
  WAREHOUSE_WEBHOOK_URL: Schema.optional(Url),
  DELIVERY_WEBHOOK_URL: Schema.optional(Url),
  WEBHOOK_SECRET: Schema.optional(Secret),
  /** Each partner's own secret (locally), or on Lambda the SSM SecureString holding `{"warehouse", "delivery"}`. */
  WAREHOUSE_WEBHOOK_SECRET: Schema.optional(Secret),
  DELIVERY_WEBHOOK_SECRET: Schema.optional(Secret),
  WEBHOOK_SECRETS_PARAMETER: Schema.optional(Name),
  MAIL_DIR: Name,
});

export interface ConsumerConfig extends SweeperConfig {
  readonly mailFrom: string;
  /** Where local email goes as .eml files. */
  readonly mailDir: string;
  readonly webhooks: {
    readonly urls: { readonly warehouse?: string; readonly delivery?: string };
    /** Signs for a partner without its own secret (locally only). */
    readonly secret: string;
    /** Each partner's own secret: given, or read from the parameter (re-read within the rotation bound). */
    readonly secretFor?: (partner: "warehouse" | "delivery") => Promise<string>;
  };
}

export interface AppConfig {
  readonly store: "dynamodb" | "memory";
  readonly tableName: string;
  readonly jwt: {
    /** The keys: given (JWT_SECRET, JWT_PREVIOUS_SECRET), or the name of the SSM parameter holding them. */
    readonly keys: { readonly secret: string; readonly previousSecret?: string } | { readonly parameter: string };
    readonly issuer: string;
    readonly audience: string;
    readonly ttlSeconds: number;
  };
  /** Users sign in with this Cognito user pool instead of the built-in accounts (COGNITO_*). */
  readonly cognito?: CognitoConfig | undefined;
  readonly corsOrigins: ReadonlyArray<string>;
  readonly holdTtlMs: number;
  /** Undefined: 4 hold TTLs (adapters/system.ts). */
  readonly maxHoldAgeMs: number | undefined;
  readonly maxUnitsPerProduct: number;
  readonly maxUnpaidOrders: number;
  readonly port: number;
  readonly dynamodbEndpoint: string | undefined;
  readonly logLevel: (typeof levels)[number];
  readonly requestTimeoutMs: number;
  readonly authLimits: { readonly perIp: { readonly max: number; readonly windowMs: number }; readonly perAccount: { readonly max: number; readonly windowMs: number } };
  readonly payments: PaymentConfig;
  /** Serve Swagger UI and /openapi.json. */
  readonly docs: boolean;
}

export interface SweeperConfig {
  readonly store: "dynamodb" | "memory";
  readonly tableName: string;
  readonly dynamodbEndpoint: string | undefined;
}

/** The sweeper also cancels unpaid orders past the payment window (and their payments). */
export interface SweeperPaymentConfig extends SweeperConfig {
  readonly payments: PaymentConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

const shared = { CARTWRIGHT_STORE: "dynamodb", JWT_ISSUER: "cartwright", JWT_AUDIENCE: "cartwright-api", JWT_TTL_SECONDS: "3600", PORT: "3000", LOG_LEVEL: "info", REQUEST_TIMEOUT_MS: "8000",
  AUTH_IP_MAX_ATTEMPTS: "10", AUTH_IP_WINDOW_SECONDS: "60", AUTH_ACCOUNT_MAX_ATTEMPTS: "10", AUTH_ACCOUNT_WINDOW_SECONDS: "900", HOLD_MAX_UNITS_PER_PRODUCT: "10", MAX_UNPAID_ORDERS: "3" };

// Locally the JWT secret is random per run: tokens die with the process, and no dev secret lives in the repo.
const localDefaults = (): Env => ({
  ...shared,
  TABLE_NAME: "cartwright-local",
  JWT_SECRET: randomBytes(32).toString("base64url"),
  CORS_ORIGINS: "http://localhost:3000,http://localhost:5173",
  HOLD_TTL_SECONDS: "900",
  API_DOCS: "true",
});

const lambdaDefaults = (): Env => ({ ...shared, CORS_ORIGINS: "", HOLD_TTL_SECONDS: "7200", API_DOCS: "false" });

/** Empty strings count as unset, so `FOO= npm start` means "use the default". */
const withDefaults = (env: Env, defaults: Env): Env => {
  const merged: Record<string, string | undefined> = { ...defaults };
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") merged[k] = v;
  return merged;
};

const decode = <A, I>(schema: Schema.Schema<A, I>, env: Env): A => {
  const result = Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" })(env);
  if (Either.isRight(result)) return result.right;
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(result.left);
  const variable = String(issue?.path[0] ?? "environment");
  const why = issue?._tag === "Missing" ? "is required" : (issue?.message ?? "is invalid");
  throw new ConfigError(`Invalid configuration: ${variable} ${why.replace(/, actual .*$/s, "")}`);
};

const missing = (variable: string): never => {
  throw new ConfigError(`Invalid configuration: ${variable} is required`);
};

export const loadConfig = (env: Env, mode: ConfigMode): AppConfig => {
  const e = decode(ApiEnv, withDefaults(env, mode === "local" ? localDefaults() : lambdaDefaults()));
  const cognito = cognitoFrom(env, (line) => {
    throw new ConfigError(line);
  });
  return {
    store: e.CARTWRIGHT_STORE,
    tableName: e.TABLE_NAME,
    jwt: {
      keys: e.JWT_SECRET_PARAMETER
        ? { parameter: e.JWT_SECRET_PARAMETER }
        : // With Cognito no built-in token is issued or accepted: the secret is then never used.
          { secret: e.JWT_SECRET ?? (cognito ? randomBytes(32).toString("base64url") : missing("JWT_SECRET")), ...(e.JWT_PREVIOUS_SECRET ? { previousSecret: e.JWT_PREVIOUS_SECRET } : {}) },
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      ttlSeconds: e.JWT_TTL_SECONDS,
    },
    cognito,
    corsOrigins: e.CORS_ORIGINS,
    holdTtlMs: e.HOLD_TTL_SECONDS * 1000,
    maxHoldAgeMs: e.HOLD_MAX_AGE_SECONDS === undefined ? undefined : e.HOLD_MAX_AGE_SECONDS * 1000,
    maxUnitsPerProduct: e.HOLD_MAX_UNITS_PER_PRODUCT,
    maxUnpaidOrders: e.MAX_UNPAID_ORDERS,
    port: e.PORT,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    // Lambda's own setting wins: it is what the stack file chose for the function.
    logLevel: e.AWS_LAMBDA_LOG_LEVEL ?? e.LOG_LEVEL,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    authLimits: {
      perIp: { max: e.AUTH_IP_MAX_ATTEMPTS, windowMs: e.AUTH_IP_WINDOW_SECONDS * 1000 },
      perAccount: { max: e.AUTH_ACCOUNT_MAX_ATTEMPTS, windowMs: e.AUTH_ACCOUNT_WINDOW_SECONDS * 1000 },
    },
    payments: paymentsFrom(decode(PaymentEnv, withDefaults(env, paymentDefaults)), mode),
    docs: e.API_DOCS === "true",
  };
};

/**
 * The email and fulfilment consumers (Lambda, or in process with `npm start`). Locally the webhook
 * secret is random per run unless set, like the JWT secret; on Lambda it is required once a URL is.
 */
export const loadConsumerConfig = (env: Env, mode: ConfigMode): ConsumerConfig => {
  const defaults = mode === "local" ? { ...localDefaults(), MAIL_FROM: "orders@cartwright.local", MAIL_DIR: ".data/mail", WEBHOOK_SECRET: randomBytes(32).toString("base64url") } : { CARTWRIGHT_STORE: "dynamodb", MAIL_FROM: "orders@cartwright.local", MAIL_DIR: "/tmp/mail" };
  const e = decode(ConsumerEnv, withDefaults(env, defaults));
  const urls = { ...(e.WAREHOUSE_WEBHOOK_URL ? { warehouse: e.WAREHOUSE_WEBHOOK_URL } : {}), ...(e.DELIVERY_WEBHOOK_URL ? { delivery: e.DELIVERY_WEBHOOK_URL } : {}) };
  const own = { warehouse: e.WAREHOUSE_WEBHOOK_SECRET, delivery: e.DELIVERY_WEBHOOK_SECRET };
  const secretFor = e.WEBHOOK_SECRETS_PARAMETER !== undefined ? partnerSecretsFrom(e.WEBHOOK_SECRETS_PARAMETER) : partnerSecretsGiven(own, e.WEBHOOK_SECRET);
  for (const partner of Object.keys(urls) as Array<keyof typeof urls>)
    if (e.WEBHOOK_SECRETS_PARAMETER === undefined && own[partner] === undefined && e.WEBHOOK_SECRET === undefined)
      throw new ConfigError(`Invalid configuration: WEBHOOK_SECRETS_PARAMETER or ${partner.toUpperCase()}_WEBHOOK_SECRET is required when ${partner.toUpperCase()}_WEBHOOK_URL is set`);
  return {
    store: e.CARTWRIGHT_STORE,
    tableName: e.TABLE_NAME,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    mailFrom: e.MAIL_FROM,
    mailDir: e.MAIL_DIR,
    webhooks: { urls, secret: e.WEBHOOK_SECRET ?? "", secretFor },
  };
};

const partnerSecretsGiven = (own: Partial<Record<"warehouse" | "delivery", string>>, fallback: string | undefined) => async (partner: "warehouse" | "delivery") => {
  const secret = own[partner] ?? fallback;
  if (secret === undefined) throw new Error(`no webhook secret for ${partner}`);
  return secret;
};

const partnerSecretsFrom = (parameter: string) => {
  const read = secretParameter(parameter, (raw) => JSON.parse(raw) as Partial<Record<"warehouse" | "delivery", unknown>>);
  return async (partner: "warehouse" | "delivery") => {
    const secret = (await read())[partner];
    if (typeof secret !== "string" || secret.length < 32) throw new Error(`parameter ${parameter} holds no secret of at least 32 characters for ${partner}`);
    return secret;
  };
};

/** The relay Lambda needs only its bus (its records come from the event source mapping). */
export const loadRelayConfig = (env: Env): { readonly busName: string } => ({ busName: decode(RelayEnv, withDefaults(env, {})).EVENT_BUS_NAME });

export const loadSweeperConfig = (env: Env): SweeperPaymentConfig => {
  const e = decode(SweeperEnv, withDefaults(env, { CARTWRIGHT_STORE: "dynamodb" }));
  const payments = paymentsFrom(decode(PaymentEnv, withDefaults(env, paymentDefaults)), "lambda");
  return { store: e.CARTWRIGHT_STORE, tableName: e.TABLE_NAME, dynamodbEndpoint: e.DYNAMODB_ENDPOINT, payments };
};
