/**
 * The Pulumi program (Pulumi.yaml `main`). Pulumi calls the default export and
 * publishes what it returns as stack outputs; the plan renderer and the tests
 * call it the same way under mocks.
 */
import { Alarms } from "../infra/alarms.js";
import { Api } from "../infra/api.js";
import { Budget } from "../infra/budget.js";
import { type StackConfig, loadStackConfig } from "../infra/config.js";
import { Database } from "../infra/database.js";
import { type Tags, stackNames, stackTags } from "../infra/names.js";
import { Network } from "../infra/network.js";
import { Sweeper } from "../infra/sweeper.js";

const network = (config: StackConfig, tags: Tags) =>
  config.network.vpc
    ? new Network("network", {
        cidrBlock: config.network.cidrBlock,
        availabilityZones: config.network.availabilityZones,
        region: config.region,
        tags,
      })
    : undefined;

export default function cartwright() {
  const config = loadStackConfig();
  const names = stackNames(config.stack);
  const tags = stackTags(config.stack, config.owner);
  const vpc = network(config, tags)?.attachment;
  const database = new Database("database", { tableName: names.table, sizing: config.database, tags });
  const table = { tableName: database.tableName, tableArn: database.tableArn, indexNames: database.indexNames };
  const api = new Api("api", {
    functionName: names.apiFunction,
    memoryMb: config.api.memoryMb,
    timeoutSeconds: config.api.timeoutSeconds,
    reservedConcurrency: config.api.reservedConcurrency,
    ...table,
    jwtSecret: config.jwtSecret,
    corsOrigins: [...config.api.corsOrigins],
    holdTtlSeconds: config.holdTtlMinutes * 60,
    throttleRatePerSecond: config.api.throttleRatePerSecond,
    throttleBurst: config.api.throttleBurst,
    logRetentionDays: config.logRetentionDays,
    httpApiName: names.httpApi,
    accessLogGroupName: names.apiAccessLogGroup,
    vpc,
    tags,
  });
  const sweeper = new Sweeper("sweeper", {
    functionName: names.sweeperFunction,
    everyMinutes: config.sweeper.everyMinutes,
    memoryMb: config.sweeper.memoryMb,
    timeoutSeconds: config.sweeper.timeoutSeconds,
    ...table,
    logRetentionDays: config.logRetentionDays,
    vpc,
    tags,
  });
  new Alarms("alarms", {
    kinds: config.alarms.kinds,
    email: config.alertEmail,
    topicName: names.alarmTopic,
    apiFunctionName: api.functionName,
    sweeperFunctionName: sweeper.functionName,
    apiId: api.apiId,
    stageName: api.stageName,
    latencyP99Ms: config.alarms.latencyP99Ms,
    tags,
  });
  const budget = new Budget("budget", {
    budgetName: names.budget,
    monthlyUsd: config.budgetUsd,
    email: config.alertEmail,
    costTags: { project: tags.project, stack: tags.stack },
    tags,
  });
  return {
    apiUrl: api.url,
    tableName: database.tableName,
    functionName: api.functionName,
    logGroup: api.logGroupName,
    budgetName: budget.budgetName,
  };
}
