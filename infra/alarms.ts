import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmKind } from "./config.js";

export interface AlarmsArgs {
  /** Which alarms exist (plain: each kind is a resource); empty means no topic either. */
  kinds: ReadonlyArray<AlarmKind>;
  /** Who the SNS topic emails; AWS sends a confirmation link first. */
  email: pulumi.Input<string>;
  /** Name of the SNS topic. */
  topicName: pulumi.Input<string>;
  /** Alarms are named `<alarmNamePrefix>-<component>-<kind>`, so deploy roles can be scoped to the stack's names. */
  alarmNamePrefix: string;
  /** What the alarms watch. */
  apiFunctionName: pulumi.Input<string>;
  sweeperFunctionName: pulumi.Input<string>;
  apiId: pulumi.Input<string>;
  stageName: pulumi.Input<string>;
  /** p99 API latency, in milliseconds, above which the latency alarm fires. */
  latencyP99Ms: pulumi.Input<number>;
  /** Percent of requests answered 4xx above which api4xxRate fires. */
  api4xxRatePercent: number;
  /** Functions whose logged failures (level error) alarm, by a short label: their log groups get a metric filter. */
  reportingFunctions: Readonly<Record<string, pulumi.Input<string>>>;
  /** The namespace of the metrics those filters publish, and of the API's own (its code cache, as EMF log lines). */
  metricNamespace: string;
  /** The event relay, and how far behind its stream it may fall (seconds) before the alarm fires. */
  relayFunctionName: pulumi.Input<string>;
  relayIteratorAgeSeconds: number;
  /** The image validator and the image sweep (mediaFailures: each function's Lambda Errors), by a short label. */
  mediaFunctions: Readonly<Record<string, pulumi.Input<string>>>;
  /** Queues where undeliverable events end: any message in one is an alarm (key: a short label). */
  deadLetterQueues: Readonly<Record<string, pulumi.Input<string>>>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

interface AlarmSpec {
  /** Tells apart the alarms of one kind (one per dead-letter queue). */
  readonly suffix?: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  /** A metric-math alarm instead of one metric (namespace, metricName and dimensions unused). */
  readonly metricQueries?: ReadonlyArray<aws.types.input.cloudwatch.MetricAlarmMetricQuery>;
  /** A log metric filter this alarm's metric comes from. */
  readonly filter?: { readonly logGroupName: pulumi.Input<string>; readonly pattern: string };
  readonly threshold: pulumi.Input<number>;
  readonly evaluationPeriods: number;
}

const alarmSpecs = (args: AlarmsArgs): Record<AlarmKind, AlarmSpec | ReadonlyArray<AlarmSpec>> => ({
  errors: {
    description: "The API function returned errors",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: args.apiFunctionName },
    statistic: "Sum",
    threshold: 1,
    evaluationPeriods: 1,
  },
  throttles: {
    description: "The API function was throttled (reserved concurrency reached)",
    namespace: "AWS/Lambda",
    metricName: "Throttles",
    dimensions: { FunctionName: args.apiFunctionName },
    statistic: "Sum",
    threshold: 1,
    evaluationPeriods: 1,
  },
  latencyP99: {
    description: "p99 API latency is above the configured limit",
    namespace: "AWS/ApiGateway",
    metricName: "Latency",
    dimensions: { ApiId: args.apiId, Stage: args.stageName },
    extendedStatistic: "p99",
    threshold: args.latencyP99Ms,
    evaluationPeriods: 3,
  },
  sweeperFailures: {
    description: "The sweeper failed: expired holds are not being released, unpaid orders not cancelled, owed refunds not made",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: args.sweeperFunctionName },
    statistic: "Sum",
    threshold: 1,
    evaluationPeriods: 1,
  },
  deadLetters: Object.entries(args.deadLetterQueues).map(([label, queueName]) => ({
    suffix: label,
    description: `Undeliverable events are waiting in the ${label} dead-letter queue`,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queueName },
    statistic: "Maximum",
    threshold: 1,
    evaluationPeriods: 1,
  })),
  api5xx: {
    description: "The API answered 5xx (store unavailable, or a defect): see the function's log for the cause",
    namespace: "AWS/ApiGateway",
    metricName: "5xx",
    dimensions: { ApiId: args.apiId, Stage: args.stageName },
    statistic: "Sum",
    threshold: 1,
    evaluationPeriods: 1,
  },
  api4xxRate: {
    description: `More than ${args.api4xxRatePercent} % of API requests were answered 4xx (a broken client, or an attack)`,
    namespace: "AWS/ApiGateway",
    metricName: "4xx",
    dimensions: {},
    threshold: args.api4xxRatePercent,
    evaluationPeriods: 3,
    metricQueries: [
      { id: "errors", metric: { namespace: "AWS/ApiGateway", metricName: "4xx", dimensions: { ApiId: args.apiId, Stage: args.stageName }, period: 300, stat: "Sum" } },
      { id: "requests", metric: { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: { ApiId: args.apiId, Stage: args.stageName }, period: 300, stat: "Sum" } },
      { id: "rate", expression: "IF(requests > 20, 100 * errors / requests, 0)", label: "4xx %", returnData: true },
    ],
  },
  reportedFailures: Object.entries(args.reportingFunctions).map(([label, functionName]) => ({
    suffix: label,
    description: `The ${label} function logged failures (it did not crash: see its log lines at level error; the sweeper's include a refund owed for over 30 minutes)`,
    namespace: args.metricNamespace,
    metricName: `ReportedFailures-${label}`,
    dimensions: {},
    statistic: "Sum",
    threshold: 1,
    evaluationPeriods: 1,
    filter: { logGroupName: pulumi.interpolate`/aws/lambda/${functionName}`, pattern: '{ $.level = "error" || $.level = "fatal" }' },
  })),
  codeCacheRejected: {
    description: "Most of the API's cold starts in the last hour compiled without the code cache (the Lambda runtime moved, or no cache was shipped): re-run the last deploy to retrain it (README, Cold start)",
    namespace: args.metricNamespace,
    metricName: "CodeCacheRejected",
    dimensions: {},
    threshold: 50,
    evaluationPeriods: 1,
    // The bootstrap's EMF line counts each cold start and whether it compiled without the cache (adapters/lambda/bootstrap.ts).
    metricQueries: [
      { id: "rejected", metric: { namespace: args.metricNamespace, metricName: "CodeCacheRejected", dimensions: { FunctionName: args.apiFunctionName }, period: 3600, stat: "Sum" } },
      { id: "cold", metric: { namespace: args.metricNamespace, metricName: "ColdStarts", dimensions: { FunctionName: args.apiFunctionName }, period: 3600, stat: "Sum" } },
      { id: "share", expression: "IF(cold >= 3, 100 * rejected / cold, 0)", label: "cold starts without the code cache %", returnData: true },
    ],
  },
  mediaFailures: Object.entries(args.mediaFunctions).map(([label, functionName]) => ({
    suffix: label,
    description:
      label === "validator"
        ? "The image validator failed (S3 retries it twice; after that the upload stays pending until the image sweep expires it)"
        : "The image sweep failed: expired uploads, archived products' images or owed files were not handled (the next run retries)",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: functionName },
    statistic: "Sum",
    threshold: 1,
    evaluationPeriods: 1,
  })),
  relayIteratorAge: {
    description: "The event relay is falling behind the table's stream: events are published late",
    namespace: "AWS/Lambda",
    metricName: "IteratorAge",
    dimensions: { FunctionName: args.relayFunctionName },
    statistic: "Maximum",
    threshold: args.relayIteratorAgeSeconds * 1000,
    evaluationPeriods: 2,
  },
});

/** CloudWatch alarms that email the owner through one SNS topic. */
export class Alarms extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string | undefined>;

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Alarms", name, {}, opts);
    const topic = args.kinds.length === 0 ? undefined : emailTopic(this, name, args);
    if (topic !== undefined) {
      const specs = alarmSpecs(args);
      for (const kind of args.kinds) for (const spec of [specs[kind]].flat()) metricAlarm(this, name, kind, spec, topic, args);
    }
    this.topicArn = pulumi.output(topic?.arn);
    this.registerOutputs({ topicArn: this.topicArn });
  }
}

const emailTopic = (parent: pulumi.Resource, name: string, args: AlarmsArgs) => {
  const topic = new aws.sns.Topic(`${name}-topic`, { name: args.topicName, tags: args.tags }, { parent });
  new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: args.email }, { parent });
  return topic;
};

const metricFilter = (parent: pulumi.Resource, resourceName: string, spec: AlarmSpec) =>
  spec.filter === undefined
    ? undefined
    : new aws.cloudwatch.LogMetricFilter(
        `${resourceName}-filter`,
        {
          logGroupName: spec.filter.logGroupName,
          pattern: spec.filter.pattern,
          metricTransformation: { name: spec.metricName, namespace: spec.namespace, value: "1", defaultValue: "0" },
        },
        { parent },
      );

const metricAlarm = (parent: pulumi.Resource, name: string, kind: AlarmKind, spec: AlarmSpec, topic: aws.sns.Topic, args: AlarmsArgs) => {
  const resourceName = `${name}-${kind}${spec.suffix === undefined ? "" : `-${spec.suffix}`}`;
  const filter = metricFilter(parent, resourceName, spec);
  const metric = spec.metricQueries
    ? { metricQueries: [...spec.metricQueries] }
    : { namespace: spec.namespace, metricName: spec.metricName, dimensions: spec.dimensions, statistic: spec.statistic, extendedStatistic: spec.extendedStatistic, period: 300 };
  return new aws.cloudwatch.MetricAlarm(
    resourceName,
    {
      name: `${args.alarmNamePrefix}-${resourceName}`,
      alarmDescription: spec.description,
      ...metric,
      evaluationPeriods: spec.evaluationPeriods,
      threshold: spec.threshold,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [topic.arn],
      okActions: [topic.arn],
      tags: args.tags,
    },
    { parent, ...(filter ? { dependsOn: [filter] } : {}) },
  );
};
