import * as pulumi from "@pulumi/pulumi";
import { Either, ParseResult, Schema } from "effect";

/** The Pulumi project name; config keys are `cartwright:<key>`. */
export const project = "cartwright";

const Int = (min: number, max: number) => Schema.Int.pipe(Schema.between(min, max));

// CloudWatch Logs accepts only these retention periods.
const retentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const RetentionDays = Schema.Literal(...retentionDays).annotations({
  message: () => ({ message: `must be one of CloudWatch's retention periods (${retentionDays.join(", ")})`, override: true }),
});

const Api = Schema.Struct({
  memoryMb: Int(128, 10240),
  timeoutSeconds: Int(1, 29),
  reservedConcurrency: Schema.optional(Int(1, 10000)),
  throttleRatePerSecond: Int(1, 10000),
  throttleBurst: Int(1, 5000),
  // Same rule the app applies to CORS_ORIGINS at cold start, so a bad origin fails at `pulumi up` instead.
  corsOrigins: Schema.NonEmptyArray(Schema.String.pipe(Schema.pattern(/^https?:\/\/[^/\s,]+$/))),
  /** Serve Swagger UI and /openapi.json from the API; off unless the stack file says true. */
  docs: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Units of one product a customer may hold at once (products may set their own); the app's default (10) when absent. */
  maxUnitsPerProduct: Schema.optional(Int(1, 99)),
  /** Placed, unpaid orders a customer may have at once; the app's default (3) when absent. */
  maxUnpaidOrders: Schema.optional(Int(1, 50)),
});

const Sweeper = Schema.Struct({
  everyMinutes: Int(1, 1440),
  memoryMb: Int(128, 10240),
  timeoutSeconds: Int(1, 900),
});

const Protection = {
  pointInTimeRecovery: Schema.Boolean,
  deletionProtection: Schema.Boolean,
  /** The Pulumi `protect` option on the table: `pulumi destroy` refuses to delete it. */
  protect: Schema.Boolean,
};

const Autoscaling = Schema.Struct({
  min: Int(1, 40000),
  max: Int(1, 40000),
  targetUtilizationPercent: Int(20, 90),
});

const Database = Schema.Union(
  Schema.Struct({ billingMode: Schema.Literal("PAY_PER_REQUEST"), ...Protection }),
  Schema.Struct({
    billingMode: Schema.Literal("PROVISIONED"),
    readCapacity: Int(1, 40000),
    writeCapacity: Int(1, 40000),
    autoscaling: Schema.optional(Autoscaling),
    ...Protection,
  }),
);

const Url = Schema.String.pipe(Schema.pattern(/^https:\/\/\S+$/));

const Events = Schema.Struct({
  relay: Schema.Struct({
    memoryMb: Int(128, 10240),
    timeoutSeconds: Int(1, 900),
    /** Stream records per invocation. */
    batchSize: Int(1, 10000),
    /** Retries of a failing batch (bisected) before its records go to the on-failure queue. */
    maximumRetryAttempts: Int(0, 10000),
    /** Records older than this skip straight to the on-failure queue. */
    maximumRecordAgeSeconds: Int(60, 604800),
  }),
  consumers: Schema.Struct({
    memoryMb: Int(128, 10240),
    timeoutSeconds: Int(1, 900),
    /** Deliveries of a message before its queue's DLQ takes it. */
    maxReceiveCount: Int(1, 1000),
  }),
  /** The verified SES identity customer email is sent from. */
  emailFrom: Schema.String.pipe(Schema.pattern(/^[^@\s]+@[^@\s]+$/)),
  /** Partners' webhook URLs; a partner without one gets no calls. */
  webhooks: Schema.Struct({ warehouseUrl: Schema.optional(Url), deliveryUrl: Schema.optional(Url) }),
  dlqRetentionDays: Int(1, 14),
});

const Identity = Schema.Struct({
  /** Who signs users in: the built-in accounts (cheap sandboxes) or the stack's Cognito user pool (created on every stack). */
  provider: Schema.Literal("built-in", "cognito"),
  /** Cognito's feature plan; it sets the price per monthly active user (infra/prices.ts). */
  featurePlan: Schema.Literal("LITE", "ESSENTIALS", "PLUS"),
  deletionProtection: Schema.Boolean,
  passwordMinLength: Int(8, 99),
  accessTokenMinutes: Int(5, 1440),
  idTokenMinutes: Int(5, 1440),
  refreshTokenDays: Int(1, 3650),
  /** A managed login page at `https://<domainPrefix>.auth.<region>.amazoncognito.com`. */
  managedLogin: Schema.optional(
    Schema.Struct({
      domainPrefix: Schema.String.pipe(Schema.pattern(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)),
      callbackUrls: Schema.NonEmptyArray(Url),
      logoutUrls: Schema.Array(Url),
    }),
  ),
});

const Media = Schema.Struct({
  /** The image validator: sharp decodes up to 40 MP (about 160 MB of pixels), so 1024 MB or more. */
  validator: Schema.Struct({ memoryMb: Int(1024, 10240), timeoutSeconds: Int(10, 900) }),
  /** The image sweep: expired uploads, archived products' images, owed files (infra/media.ts). */
  sweeper: Schema.Struct({ everyMinutes: Int(5, 1440), memoryMb: Int(128, 10240), timeoutSeconds: Int(10, 900) }),
  /** The largest upload the presigned POST admits, in bytes (the validator checks it again). */
  maxUploadBytes: Int(1024, 50 * 1024 * 1024),
  /** How long a presigned upload form is good for. */
  uploadTtlSeconds: Int(30, 3600),
  /** CloudFront's edge locations: PriceClass_100 (North America, Europe) is the cheapest. */
  priceClass: Schema.Literal("PriceClass_100", "PriceClass_200", "PriceClass_All"),
  /** How long an archived product keeps its images (unarchiving restores them); then the sweep deletes them. */
  archivedImageRetentionDays: Int(1, 3650),
  /** Let `pulumi destroy` empty the bucket first (sandboxes); without it, destroy stops at a bucket with images. */
  forceDestroy: Schema.Boolean,
});

export const alarmKinds = [
  "errors",
  "throttles",
  "latencyP99",
  "sweeperFailures",
  "deadLetters",
  "relayIteratorAge",
  // What the app answers, not only how the function ends: 5xx problems (store outages, defects) are
  // answered inside successful invocations, so Lambda's Errors never sees them.
  "api5xx",
  "api4xxRate",
  // Failures the sweeper, relay and consumers log (level error) without crashing.
  "reportedFailures",
  // Most of an hour's API cold starts compiled without their code cache: the runtime moved, retrain it.
  "codeCacheRejected",
  // The image validator or the image sweep failed (Lambda Errors): uploads stay pending, owed files stay.
  "mediaFailures",
] as const;
export type AlarmKind = (typeof alarmKinds)[number];

const Alarms = Schema.Struct({
  kinds: Schema.Array(Schema.Literal(...alarmKinds)),
  latencyP99Ms: Int(1, 30000),
  /** Share of API requests answered 4xx (percent, over 5 minutes) above which api4xxRate fires. */
  api4xxRatePercent: Schema.optionalWith(Int(1, 100), { default: () => 25 }),
  /** Age of the oldest stream record the relay has not handled, above which events are late. */
  relayIteratorAgeSeconds: Int(1, 86400),
});

/** Every key a stack file must set, named as in `Pulumi.<stack>.yaml`. */
const StackFile = Schema.Struct({
  "aws:region": Schema.NonEmptyString,
  "cartwright:owner": Schema.NonEmptyString,
  "cartwright:alertEmail": Schema.String.pipe(Schema.pattern(/^[^@\s]+@[^@\s]+$/)),
  "cartwright:api": Api,
  "cartwright:sweeper": Sweeper,
  "cartwright:database": Database,
  "cartwright:logRetentionDays": RetentionDays,
  "cartwright:holdTtlMinutes": Int(1, 1440),
  "cartwright:alarms": Alarms,
  "cartwright:budgetUsd": Int(1, 100000),
  "cartwright:events": Events,
  "cartwright:identity": Identity,
  "cartwright:media": Media,
  /** What the functions log: Lambda's application log level (its JSON log format), which the code reads back. */
  "cartwright:logLevel": Schema.Literal("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"),
  /**
   * Payments: placed orders not paid within `windowMinutes` are cancelled by the sweeper; `manualPayments`
   * lets admins mark orders paid by hand (offline methods). Stripe is on once the Pulumi secrets
   * stripeSecretKey and stripeWebhookSecret are set, with `publishableKey`; without them payments answer 503.
   */
  /** Login/register attempts per client IP, and login attempts per account, per window (kept in the table). */
  "cartwright:authLimits": Schema.Struct({
    perIp: Schema.Struct({ maxAttempts: Int(1, 1_000_000), windowSeconds: Int(1, 86_400) }),
    perAccount: Schema.Struct({ maxAttempts: Int(1, 1_000_000), windowSeconds: Int(1, 86_400) }),
  }),
  "cartwright:payments": Schema.Struct({
    windowMinutes: Int(5, 7 * 24 * 60),
    manualPayments: Schema.Boolean,
    publishableKey: Schema.optional(Schema.String.pipe(Schema.pattern(/^pk_(test|live)_\S+$/))),
  }),
});
type StackFile = typeof StackFile.Type;

export type DatabaseSizing = StackFile["cartwright:database"];
export type EventsConfig = StackFile["cartwright:events"];

export interface StackConfig {
  readonly stack: string;
  readonly region: string;
  readonly owner: string;
  readonly alertEmail: string;
  readonly api: StackFile["cartwright:api"];
  readonly sweeper: StackFile["cartwright:sweeper"];
  readonly database: DatabaseSizing;
  readonly logRetentionDays: number;
  readonly holdTtlMinutes: number;
  readonly alarms: StackFile["cartwright:alarms"];
  readonly budgetUsd: number;
  readonly events: EventsConfig;
  readonly identity: StackFile["cartwright:identity"];
  readonly media: StackFile["cartwright:media"];
  readonly logLevel: StackFile["cartwright:logLevel"];
  readonly jwtSecret: pulumi.Output<string>;
  /** The signing secret before the last rotation (README: rotating the signing key); unset otherwise. */
  readonly jwtPreviousSecret: pulumi.Output<string> | undefined;
  /** Each partner's own webhook signing secret; required for a partner whose URL is set. */
  readonly webhookSecrets: { readonly warehouse?: pulumi.Output<string>; readonly delivery?: pulumi.Output<string> };
  readonly payments: StackFile["cartwright:payments"];
  readonly authLimits: StackFile["cartwright:authLimits"];
  /** Stripe's secret key and webhook signing secret, when the stack takes payments through Stripe. */
  readonly stripe: { readonly secretKey: pulumi.Output<string>; readonly webhookSecret: pulumi.Output<string>; readonly publishableKey: string } | undefined;
}

/** Pulumi hands config to the program as strings; structured values and numbers arrive JSON-encoded. */
const parseValue = (raw: string): unknown => {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
};

const secretKeys = [
  `${project}:jwtSecret`, `${project}:jwtPreviousSecret`, `${project}:warehouseWebhookSecret`, `${project}:deliveryWebhookSecret`,
  `${project}:stripeSecretKey`, `${project}:stripeWebhookSecret`,
];

const readStackFile = (): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(pulumi.runtime.allConfig())
      .filter(([key]) => key === "aws:region" || (key.startsWith(`${project}:`) && !secretKeys.includes(key)))
      .map(([key, value]) => [key, parseValue(value)]),
  );

const describeIssue = (stack: string, issue: ParseResult.ArrayFormatterIssue): string => {
  const key = issue.path.map(String).join(".");
  const message = issue.message.replace(/\s+/g, " ");
  const sentence = message.startsWith("is ") ? `${key} ${message}` : `${key}: ${message}`;
  return `Invalid config for stack "${stack}": ${sentence} (see Pulumi.${stack}.yaml)`;
};

/** Decodes raw config values; returns the validated sizing or one line naming the bad key and the stack. */
const decodeStackFile = (stack: string, raw: unknown): Either.Either<StackFile, string> =>
  Schema.decodeUnknownEither(StackFile, { errors: "first", onExcessProperty: "error" })(raw).pipe(
    Either.mapLeft((error) => describeIssue(stack, ParseResult.ArrayFormatter.formatErrorSync(error)[0]!)),
  );

/** Reads and validates the stack's config once; fails the program with a one-line `RunError`. */
export const loadStackConfig = (): StackConfig => {
  const stack = pulumi.getStack();
  const decoded = decodeStackFile(stack, readStackFile());
  if (Either.isLeft(decoded)) throw new pulumi.RunError(decoded.left);
  const jwtSecret = new pulumi.Config(project).getSecret("jwtSecret");
  if (jwtSecret === undefined) {
    throw new pulumi.RunError(
      `Invalid config for stack "${stack}": ${project}:jwtSecret is missing (run \`pulumi config set --secret jwtSecret <value> --stack ${stack}\`)`,
    );
  }
  const file = decoded.right;
  const secrets = new pulumi.Config(project);
  const { warehouseUrl, deliveryUrl } = file["cartwright:events"].webhooks;
  const webhookSecrets = { warehouse: secrets.getSecret("warehouseWebhookSecret"), delivery: secrets.getSecret("deliveryWebhookSecret") };
  for (const [partner, url] of [["warehouse", warehouseUrl], ["delivery", deliveryUrl]] as const) {
    if (url !== undefined && webhookSecrets[partner] === undefined) {
      throw new pulumi.RunError(
        `Invalid config for stack "${stack}": ${project}:${partner}WebhookSecret is missing while the ${partner} webhook URL is set (run \`pulumi config set --secret ${partner}WebhookSecret "$(openssl rand -base64 32)" --stack ${stack}\`)`,
      );
    }
  }
  const stripeSecretKey = secrets.getSecret("stripeSecretKey");
  const stripeWebhookSecret = secrets.getSecret("stripeWebhookSecret");
  const payments = file["cartwright:payments"];
  if (stripeSecretKey !== undefined && (stripeWebhookSecret === undefined || payments.publishableKey === undefined)) {
    throw new pulumi.RunError(
      `Invalid config for stack "${stack}": Stripe needs ${project}:stripeWebhookSecret (pulumi config set --secret stripeWebhookSecret whsec_… --stack ${stack}) and cartwright:payments.publishableKey with ${project}:stripeSecretKey`,
    );
  }
  return {
    stack,
    region: file["aws:region"],
    owner: file["cartwright:owner"],
    alertEmail: file["cartwright:alertEmail"],
    api: file["cartwright:api"],
    sweeper: file["cartwright:sweeper"],
    database: file["cartwright:database"],
    logRetentionDays: file["cartwright:logRetentionDays"],
    holdTtlMinutes: file["cartwright:holdTtlMinutes"],
    alarms: file["cartwright:alarms"],
    budgetUsd: file["cartwright:budgetUsd"],
    events: file["cartwright:events"],
    identity: file["cartwright:identity"],
    media: file["cartwright:media"],
    logLevel: file["cartwright:logLevel"],
    jwtSecret,
    jwtPreviousSecret: secrets.getSecret("jwtPreviousSecret"),
    authLimits: file["cartwright:authLimits"],
    webhookSecrets: {
      ...(warehouseUrl !== undefined && webhookSecrets.warehouse ? { warehouse: webhookSecrets.warehouse } : {}),
      ...(deliveryUrl !== undefined && webhookSecrets.delivery ? { delivery: webhookSecrets.delivery } : {}),
    },
    payments,
    stripe:
      stripeSecretKey !== undefined && stripeWebhookSecret !== undefined && payments.publishableKey !== undefined
        ? { secretKey: stripeSecretKey, webhookSecret: stripeWebhookSecret, publishableKey: payments.publishableKey }
        : undefined,
  };
};
