import { assumptions, prices } from "../prices.js";
import type { RecordedResource } from "../mocks/run.js";

export interface CostLine {
  readonly item: string;
  readonly basis: string;
  readonly usd: number;
}

export interface CostEstimate {
  /** What the stack costs per month with no traffic. */
  readonly idle: ReadonlyArray<CostLine>;
  readonly idleTotal: number;
  /** Provisioned DynamoDB capacity if autoscaling reached its maximum (not part of the idle total). */
  readonly capacityCeiling?: CostLine;
  /** Traffic-driven cost of one million API requests. */
  readonly perMillionRequests: ReadonlyArray<CostLine>;
  readonly perMillionTotal: number;
  /** What the order-event flow (bus, queues, relay, consumers, email) adds per 1,000 orders; absent without a bus. */
  readonly perThousandOrders?: ReadonlyArray<CostLine>;
  readonly perThousandOrdersTotal?: number;
  /** What product images cost: 1,000 uploads validated and kept a month, and a million views through the CDN; absent without a bucket. */
  readonly perThousandImages?: ReadonlyArray<CostLine>;
  readonly perThousandImagesTotal?: number;
  /** What 1,000 monthly active users beyond the free tier add (Cognito prices per MAU); absent without a user pool. */
  readonly perThousandMau?: CostLine;
}

type Inputs = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === "number" ? value : 0);
const ofType = (resources: ReadonlyArray<RecordedResource>, type: string) => resources.filter((r) => r.type === type);
const { hoursPerMonth, dynamodb, lambda, logs } = prices;
const gib = 1024 ** 3;

const capacityUnits = (table: Inputs, key: "readCapacity" | "writeCapacity"): number =>
  num(table[key]) + ((table.globalSecondaryIndexes as Inputs[] | undefined) ?? []).reduce((sum, index) => sum + num(index[key]), 0);

const provisionedLine = (item: string, rcu: number, wcu: number): CostLine => ({
  item,
  basis: `${rcu} RCU × $${dynamodb.provisionedPerRcuHour}/h + ${wcu} WCU × $${dynamodb.provisionedPerWcuHour}/h, ${hoursPerMonth} h`,
  usd: (rcu * dynamodb.provisionedPerRcuHour + wcu * dynamodb.provisionedPerWcuHour) * hoursPerMonth,
});

const tableLines = (resources: ReadonlyArray<RecordedResource>): CostLine[] =>
  ofType(resources, "aws:dynamodb/table:Table")
    .filter((table) => table.inputs.billingMode === "PROVISIONED")
    .map((table) => provisionedLine("DynamoDB provisioned capacity (table + indexes)", capacityUnits(table.inputs, "readCapacity"), capacityUnits(table.inputs, "writeCapacity")));

const capacityCeiling = (resources: ReadonlyArray<RecordedResource>): CostLine | undefined => {
  const targets = ofType(resources, "aws:appautoscaling/target:Target").map((t) => t.inputs);
  const max = (unit: string) => targets.filter((t) => String(t.scalableDimension).endsWith(unit)).reduce((sum, t) => sum + num(t.maxCapacity), 0);
  return targets.length === 0 ? undefined : provisionedLine("DynamoDB at autoscaling maximum", max("ReadCapacityUnits"), max("WriteCapacityUnits"));
};

const runsPerMonth = (expression: string): number => {
  const match = /^rate\((\d+) minutes?\)$/.exec(expression);
  return match === null ? 0 : (hoursPerMonth * 60) / Number(match[1]);
};

/** Scheduled functions run (and log) with no traffic at all. */
const scheduleLines = (resources: ReadonlyArray<RecordedResource>): CostLine[] =>
  ofType(resources, "aws:cloudwatch/eventTarget:EventTarget").flatMap((target) => {
    const rule = ofType(resources, "aws:cloudwatch/eventRule:EventRule").find((r) => r.name === target.inputs.rule);
    const fn = ofType(resources, "aws:lambda/function:Function").find((f) => String(target.inputs.arn).endsWith(`:function:${String(f.inputs.name)}`));
    if (rule === undefined || fn === undefined) return [];
    const runs = runsPerMonth(String(rule.inputs.scheduleExpression));
    const gbSeconds = runs * (num(fn.inputs.memorySize) / 1024) * assumptions.sweeperRunSeconds;
    const logGb = (runs * assumptions.sweeperLogBytesPerRun) / gib;
    return [
      {
        item: `Lambda ${String(fn.inputs.name)} on ${String(rule.inputs.scheduleExpression)}`,
        basis: `${Math.round(runs)} runs × ${assumptions.sweeperRunSeconds} s × ${num(fn.inputs.memorySize)} MB`,
        usd: gbSeconds * lambda.perGbSecond + (runs / 1e6) * lambda.perMillionRequests,
      },
      { item: `Logs of ${String(fn.inputs.name)}`, basis: `${Math.round(runs)} runs × ${assumptions.sweeperLogBytesPerRun} B ingested`, usd: logGb * (logs.ingestionPerGb + logs.storagePerGbMonth) },
    ];
  });

/** Interface endpoints bill per AZ-hour: one ENI in each of the VPC's availability zones. */
const endpointLines = (resources: ReadonlyArray<RecordedResource>): CostLine[] => {
  const interfaces = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
  const azs = num(ofType(resources, "awsx:ec2:Vpc")[0]?.inputs.numberOfAvailabilityZones ?? 1);
  return interfaces.map((e) => ({
    item: `VPC interface endpoint ${String(e.inputs.serviceName).split(".").at(-1)}`,
    basis: `${azs} AZ × $${prices.vpcEndpoints.perInterfaceAzHour}/h, 730 h`,
    usd: azs * prices.vpcEndpoints.perInterfaceAzHour * 730,
  }));
};

/** Customer-managed KMS keys (the stack's secrets key). */
const keyLines = (resources: ReadonlyArray<RecordedResource>): CostLine[] =>
  ofType(resources, "aws:kms/key:Key").map((k) => ({
    item: `KMS key ${k.name}`,
    basis: `$${prices.kms.perKeyMonth}/month (+$1 per yearly rotation, the first two)`,
    usd: prices.kms.perKeyMonth,
  }));

const alarmLine = (resources: ReadonlyArray<RecordedResource>): CostLine[] => {
  const count = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").length;
  const metrics = ofType(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter").length;
  return [
    ...(count === 0 ? [] : [{ item: "CloudWatch alarms", basis: `${count} × $${prices.cloudwatch.perAlarmMonth}`, usd: count * prices.cloudwatch.perAlarmMonth }]),
    ...(metrics === 0
      ? []
      : [{ item: "CloudWatch custom metrics (log metric filters)", basis: `${metrics} × $${prices.cloudwatch.perCustomMetricMonth}`, usd: metrics * prices.cloudwatch.perCustomMetricMonth }]),
  ];
};

const perMillionLines = (resources: ReadonlyArray<RecordedResource>): CostLine[] => {
  const api = ofType(resources, "aws:lambda/function:Function").find((f) => f.name.startsWith("api-"));
  const memoryGb = num(api?.inputs.memorySize) / 1024;
  const onDemand = ofType(resources, "aws:dynamodb/table:Table").some((t) => t.inputs.billingMode === "PAY_PER_REQUEST");
  const { readUnitsPerApiRequest: reads, writeUnitsPerApiRequest: writes } = assumptions;
  const logGb = (1e6 * assumptions.apiLogBytesPerRequest * 2) / gib;
  return [
    { item: "API Gateway HTTP API", basis: "1M requests", usd: prices.apiGateway.perMillionHttpRequests },
    {
      item: "Lambda (API)",
      basis: `1M × ${assumptions.apiRequestSeconds} s × ${num(api?.inputs.memorySize)} MB`,
      usd: lambda.perMillionRequests + 1e6 * assumptions.apiRequestSeconds * memoryGb * lambda.perGbSecond,
    },
    onDemand
      ? { item: "DynamoDB on-demand", basis: `${reads}M reads + ${writes}M writes`, usd: reads * dynamodb.onDemandPerMillionReads + writes * dynamodb.onDemandPerMillionWrites }
      : { item: "DynamoDB", basis: "within provisioned capacity", usd: 0 },
    { item: "Logs (function + access)", basis: `2 × ${assumptions.apiLogBytesPerRequest} B per request`, usd: logGb * logs.ingestionPerGb },
  ];
};

const memoryGbOf = (resources: ReadonlyArray<RecordedResource>, suffix: string) =>
  num(ofType(resources, "aws:lambda/function:Function").find((f) => String(f.inputs.name).endsWith(suffix))?.inputs.memorySize) / 1024;

const perThousandOrdersLines = (resources: ReadonlyArray<RecordedResource>): CostLine[] | undefined => {
  if (ofType(resources, "aws:cloudwatch/eventBus:EventBus").length === 0) return undefined;
  const a = assumptions;
  const events = 1000 * a.eventsPerOrder;
  const messages = events * a.consumerMessagesPerEvent;
  const relayRuns = events / a.eventsPerRelayInvocation;
  const onDemand = ofType(resources, "aws:dynamodb/table:Table").some((t) => t.inputs.billingMode === "PAY_PER_REQUEST");
  const lambdaCost = (runs: number, seconds: number, gb: number) => (runs / 1e6) * lambda.perMillionRequests + runs * seconds * gb * lambda.perGbSecond;
  return [
    { item: "EventBridge custom events", basis: `${events} events`, usd: (events / 1e6) * prices.eventBridge.perMillionCustomEvents },
    { item: "SQS (email + fulfilment queues)", basis: `${messages} messages × ${a.sqsRequestsPerMessage} requests`, usd: ((messages * a.sqsRequestsPerMessage) / 1e6) * prices.sqs.perMillionRequests },
    { item: "Lambda (relay)", basis: `${relayRuns} runs × ${a.relayInvocationSeconds} s`, usd: lambdaCost(relayRuns, a.relayInvocationSeconds, memoryGbOf(resources, "-relay")) },
    { item: "Lambda (consumers)", basis: `${messages} messages × ${a.consumerMessageSeconds} s`, usd: lambdaCost(messages, a.consumerMessageSeconds, memoryGbOf(resources, "-email")) },
    { item: "SES email", basis: `${1000 * a.emailsPerOrder} emails`, usd: ((1000 * a.emailsPerOrder) / 1000) * prices.ses.perThousandEmails },
    onDemand
      ? { item: "DynamoDB (consumer receipts)", basis: `${messages * a.receiptWritesPerMessage} writes`, usd: ((messages * a.receiptWritesPerMessage) / 1e6) * dynamodb.onDemandPerMillionWrites }
      : { item: "DynamoDB (consumer receipts)", basis: "within provisioned capacity", usd: 0 },
    { item: "Logs (relay + consumers)", basis: `${relayRuns + messages} invocations × ${a.eventLogBytesPerInvocation} B`, usd: (((relayRuns + messages) * a.eventLogBytesPerInvocation) / gib) * logs.ingestionPerGb },
  ];
};

const perThousandMauLine = (resources: ReadonlyArray<RecordedResource>): CostLine | undefined => {
  const pool = ofType(resources, "aws:cognito/userPool:UserPool")[0];
  if (pool === undefined) return undefined;
  const plan = String(pool.inputs.userPoolTier) as keyof typeof prices.cognito.perMau;
  const free = prices.cognito.freeMau[plan];
  return {
    item: `Cognito user pool (${plan})`,
    basis: `1,000 MAU × $${prices.cognito.perMau[plan]}; ${free === 0 ? "no free tier" : `the first ${free.toLocaleString("en-US")} MAU a month free`}; no charge while idle`,
    usd: 1000 * prices.cognito.perMau[plan],
  };
};

const perThousandImagesLines = (resources: ReadonlyArray<RecordedResource>): CostLine[] | undefined => {
  if (ofType(resources, "aws:s3/bucket:Bucket").length === 0) return undefined;
  const a = assumptions;
  const gb = memoryGbOf(resources, "-media");
  const viewedGb = (1e6 * a.viewedKbPerImage) / 1024 ** 2;
  return [
    { item: "Lambda (image validator)", basis: `1000 images × ${a.validatorSecondsPerImage} s × ${gb * 1024} MB`, usd: (1000 / 1e6) * lambda.perMillionRequests + 1000 * a.validatorSecondsPerImage * gb * lambda.perGbSecond },
    { item: "S3 requests", basis: `1000 × (${a.s3WritesPerImage} PUT/POST + ${a.s3ReadsPerImage} GET)`, usd: a.s3WritesPerImage * prices.s3.perThousandWrites + a.s3ReadsPerImage * prices.s3.perThousandReads },
    { item: "S3 storage (a month)", basis: `1000 × ${a.storedMbPerImage} MB of renditions`, usd: ((1000 * a.storedMbPerImage) / 1024) * prices.s3.storagePerGbMonth },
    { item: "CloudFront, 1M image views", basis: `1M × ${a.viewedKbPerImage} KB out + 1M HTTPS requests (cached: immutable keys)`, usd: viewedGb * prices.cloudfront.perGbOut + 100 * prices.cloudfront.perTenThousandHttpsRequests },
  ];
};

const total = (lines: ReadonlyArray<CostLine>) => lines.reduce((sum, line) => sum + line.usd, 0);

/** The estimate follows the recorded resources, so it changes exactly when the plan does. */
export const estimateCost = (resources: ReadonlyArray<RecordedResource>): CostEstimate => {
  const idle = [...tableLines(resources), ...alarmLine(resources), ...scheduleLines(resources), ...endpointLines(resources), ...keyLines(resources)];
  const perMillionRequests = perMillionLines(resources);
  const ceiling = capacityCeiling(resources);
  const orders = perThousandOrdersLines(resources);
  const mau = perThousandMauLine(resources);
  const images = perThousandImagesLines(resources);
  return {
    ...(images === undefined ? {} : { perThousandImages: images, perThousandImagesTotal: total(images) }),
    ...(mau === undefined ? {} : { perThousandMau: mau }),
    ...(orders === undefined ? {} : { perThousandOrders: orders, perThousandOrdersTotal: total(orders) }),
    idle,
    idleTotal: total(idle),
    ...(ceiling === undefined ? {} : { capacityCeiling: ceiling }),
    perMillionRequests,
    perMillionTotal: total(perMillionRequests),
  };
};
