/**
 * A small, dated price table for the plan's cost estimate. List prices for
 * us-east-1 (N. Virginia), on-demand, before any free tier, as recorded on the
 * date below from the AWS pricing pages; re-check them there before relying on
 * a figure, and update `recordedOn` when you do.
 */
export const prices = {
  recordedOn: "2026-11-23",
  region: "us-east-1",
  currency: "USD",
  hoursPerMonth: 730,
  lambda: {
    /** arm64 (Graviton) compute. */
    perGbSecond: 0.0000133334,
    perMillionRequests: 0.2,
  },
  dynamodb: {
    provisionedPerRcuHour: 0.00013,
    provisionedPerWcuHour: 0.00065,
    onDemandPerMillionReads: 0.125,
    onDemandPerMillionWrites: 0.625,
    storagePerGbMonth: 0.25,
    pitrPerGbMonth: 0.2,
  },
  logs: {
    ingestionPerGb: 0.5,
    storagePerGbMonth: 0.03,
  },
  cloudwatch: {
    /** Standard-resolution metric alarm, percentile statistics included. */
    perAlarmMonth: 0.1,
    /** A custom metric (what a log metric filter publishes), first 10,000 metrics. */
    perCustomMetricMonth: 0.3,
  },
  apiGateway: {
    /** HTTP APIs, first 300 million requests a month. */
    perMillionHttpRequests: 1.0,
  },
  eventBridge: {
    /** Custom events put on a bus (each 64 KB chunk is one event; ours are smaller). */
    perMillionCustomEvents: 1.0,
  },
  sqs: {
    /** Standard queues, after the first million requests a month. */
    perMillionRequests: 0.4,
  },
  vpcEndpoints: {
    /** An interface endpoint, per AZ-hour (data processed, $0.01/GB, is not counted idle). */
    perInterfaceAzHour: 0.01,
  },
  kms: {
    /** A customer-managed key; with yearly rotation each new backing key adds $1/month (the first two rotations). */
    perKeyMonth: 1.0,
  },
  ses: {
    /** Outbound email, per 1,000 messages. */
    perThousandEmails: 0.1,
  },
  cognito: {
    /** Per monthly active user (one who signs in or refreshes in the month), by feature plan, after the free MAU. */
    perMau: { LITE: 0.0055, ESSENTIALS: 0.015, PLUS: 0.02 },
    /** MAU free each month (Lite and Essentials: 10,000 per account; Plus: none). */
    freeMau: { LITE: 10_000, ESSENTIALS: 10_000, PLUS: 0 },
  },
  s3: {
    /** S3 Standard, first 50 TB. */
    storagePerGbMonth: 0.023,
    /** PUT, COPY, POST, LIST requests. */
    perThousandWrites: 0.005,
    /** GET and all other requests (DELETE is free). */
    perThousandReads: 0.0004,
  },
  cloudfront: {
    /** Data out to the internet, first 10 TB, North America and Europe (PriceClass_100's edges). */
    perGbOut: 0.085,
    /** HTTPS requests, North America and Europe. */
    perTenThousandHttpsRequests: 0.01,
  },
  /** Free: budgets without actions, EventBridge scheduled rules, standard SSM parameters and their standard-throughput reads. */
  free: ["AWS Budgets (no actions)", "EventBridge scheduled rules", "SSM standard parameters (standard throughput)"],
} as const;

/**
 * Assumptions behind the estimate; a reviewer can argue with them here.
 * An "API request" is one HTTP request served by the API Lambda.
 */
export const assumptions = {
  sweeperRunSeconds: 1,
  sweeperLogBytesPerRun: 1024,
  apiRequestSeconds: 0.1,
  apiLogBytesPerRequest: 1024,
  readUnitsPerApiRequest: 2,
  writeUnitsPerApiRequest: 1,
  /** An order's life: placed, paid, packed, shipped, delivered (packed is not emailed, only sent to the delivery partner). */
  eventsPerOrder: 5,
  emailsPerOrder: 4,
  webhookCallsPerOrder: 3,
  /** Every order event reaches both consumers' queues (each tracks the order's sequence). */
  consumerMessagesPerEvent: 2,
  /** Each SQS message is sent, received and deleted. */
  sqsRequestsPerMessage: 3,
  /** Stream records the relay handles per invocation at low traffic (batches grow with load). */
  eventsPerRelayInvocation: 2,
  relayInvocationSeconds: 0.1,
  consumerMessageSeconds: 0.3,
  /** A consumer claims an event, then completes it. */
  receiptWritesPerMessage: 2,
  eventLogBytesPerInvocation: 1024,
  /** An upload: sharp decoding and encoding four WebP renditions of a ~3000×2000 photo (README, Product images: measured). */
  validatorSecondsPerImage: 2,
  /** Its renditions (200, 600, 1200 px and the original size, WebP) kept in the bucket. */
  storedMbPerImage: 0.5,
  /** S3 requests per upload: the POST, the validator's GET of it, four PUTs of renditions (its DELETE is free). */
  s3WritesPerImage: 5,
  s3ReadsPerImage: 1,
  /** What a storefront shows most: the 600 px rendition. */
  viewedKbPerImage: 60,
} as const;
