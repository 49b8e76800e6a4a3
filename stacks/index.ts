/**
 * The Pulumi program (Pulumi.yaml `main`). Pulumi calls the default export and
 * publishes what it returns as stack outputs; the plan renderer and the tests
 * call it the same way under mocks.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { boundaryArn } from "../infra/boundary.js";
import { Alarms } from "../infra/alarms.js";
import { Api } from "../infra/api.js";
import { Budget } from "../infra/budget.js";
import { type StackConfig, loadStackConfig } from "../infra/config.js";
import { Database } from "../infra/database.js";
import { Identity } from "../infra/identity.js";
import { stackNames, stackTags } from "../infra/names.js";
import { Sweeper } from "../infra/sweeper.js";
import { eventFlow } from "./event-flow.js";
import { mediaEnvironment, productImages } from "./media.js";
import { parameterNames, secretParameterArns, stackSecrets } from "./secrets.js";

/** What the API and the sweeper read about payments (adapters/config.ts): Stripe's keys by their parameter's name only. */
const paymentEnvironment = (config: StackConfig): Record<string, pulumi.Input<string>> => ({
  PAYMENT_WINDOW_MINUTES: String(config.payments.windowMinutes),
  MANUAL_PAYMENTS: String(config.payments.manualPayments),
  ...(config.stripe
    ? { PAYMENT_PROVIDER: "stripe", STRIPE_PARAMETER: parameterNames(config.stack).stripe, STRIPE_PUBLISHABLE_KEY: config.stripe.publishableKey }
    : { PAYMENT_PROVIDER: "none" }),
});

const metricNamespace = (stack: string) => `Cartwright/${stack}`;

/** Every stack has its user pool (same topology; no idle cost); the stack file says whether the API trusts it. */
const userPool = (config: StackConfig, poolName: string, tags: Record<string, string>) => {
  const { provider: _provider, featurePlan, deletionProtection, passwordMinLength, accessTokenMinutes, idTokenMinutes, refreshTokenDays, managedLogin } = config.identity;
  return new Identity("identity", {
    region: config.region,
    poolName,
    featurePlan,
    deletionProtection,
    passwordMinLength,
    accessTokenMinutes,
    idTokenMinutes,
    refreshTokenDays,
    ...(managedLogin ? { managedLogin } : {}),
    tags,
  });
};

/** What the API reads about its user pool (adapters/identity/config.ts): ids only, no secret. */
const identityEnvironment = (config: StackConfig, identity: Identity): Record<string, pulumi.Input<string>> =>
  config.identity.provider === "cognito"
    ? { COGNITO_USER_POOL_ID: identity.userPoolId, COGNITO_CLIENT_ID: identity.clientId, ...(identity.signInUrl ? { COGNITO_SIGN_IN_URL: identity.signInUrl } : {}) }
    : {};

export default function cartwright() {
  const config = loadStackConfig();
  const names = stackNames(config.stack);
  const tags = stackTags(config.stack, config.owner);
  const database = new Database("database", { tableName: names.table, sizing: config.database, tags });
  const account = aws.getCallerIdentityOutput().accountId;
  // Every role the program creates carries the stack's boundary: deploy roles may create roles only with it.
  const permissionsBoundary = account.apply((id) => boundaryArn(id, config.stack));
  const arns = secretParameterArns(config, account);
  const events = eventFlow(config, names, tags, database, permissionsBoundary, arns.partnerWebhooks);
  const table = { tableName: database.tableName, tableArn: database.tableArn, indexNames: database.indexNames };
  const identity = userPool(config, names.prefix, tags);
  const media = productImages(config, names, tags, database, account, permissionsBoundary);
  const api = new Api("api", {
    functionName: names.apiFunction,
    memoryMb: config.api.memoryMb,
    timeoutSeconds: config.api.timeoutSeconds,
    reservedConcurrency: config.api.reservedConcurrency,
    ...table,
    signingKeysParameterName: parameterNames(config.stack).signingKeys,
    secretParameterArns: [...arns.signingKeys, ...arns.stripe],
    paymentEnvironment: paymentEnvironment(config),
    identityEnvironment: identityEnvironment(config, identity),
    mediaEnvironment: mediaEnvironment(config, media),
    mediaUploadGrant: media.uploadGrant,
    authLimits: config.authLimits,
    corsOrigins: [...config.api.corsOrigins],
    docs: config.api.docs,
    ...(config.api.maxUnitsPerProduct === undefined ? {} : { maxUnitsPerProduct: config.api.maxUnitsPerProduct }),
    ...(config.api.maxUnpaidOrders === undefined ? {} : { maxUnpaidOrders: config.api.maxUnpaidOrders }),
    holdTtlSeconds: config.holdTtlMinutes * 60,
    throttleRatePerSecond: config.api.throttleRatePerSecond,
    throttleBurst: config.api.throttleBurst,
    logRetentionDays: config.logRetentionDays,
    logLevel: config.logLevel,
    metricNamespace: metricNamespace(config.stack),
    permissionsBoundary,
    httpApiName: names.httpApi,
    accessLogGroupName: names.apiAccessLogGroup,
    tags,
  });
  const sweeper = new Sweeper("sweeper", {
    functionName: names.sweeperFunction,
    everyMinutes: config.sweeper.everyMinutes,
    paymentEnvironment: paymentEnvironment(config),
    secretParameterArns: arns.stripe,
    memoryMb: config.sweeper.memoryMb,
    timeoutSeconds: config.sweeper.timeoutSeconds,
    ...table,
    logRetentionDays: config.logRetentionDays,
    logLevel: config.logLevel,
    permissionsBoundary,
    tags,
  });
  stackSecrets(config, account, { api: api.roleArn, sweeper: sweeper.roleArn, fulfilment: events.fulfilment.roleArn }, tags);
  new Alarms("alarms", {
    kinds: config.alarms.kinds,
    email: config.alertEmail,
    topicName: names.alarmTopic,
    alarmNamePrefix: names.prefix,
    apiFunctionName: api.functionName,
    sweeperFunctionName: sweeper.functionName,
    apiId: api.apiId,
    stageName: api.stageName,
    latencyP99Ms: config.alarms.latencyP99Ms,
    api4xxRatePercent: config.alarms.api4xxRatePercent,
    reportingFunctions: {
      sweeper: sweeper.functionName,
      relay: events.relay.functionName,
      email: events.email.functionName,
      fulfilment: events.fulfilment.functionName,
      images: media.sweeperFunctionName,
    },
    mediaFunctions: { validator: media.functionName, sweeper: media.sweeperFunctionName },
    metricNamespace: metricNamespace(config.stack),
    relayFunctionName: events.relay.functionName,
    relayIteratorAgeSeconds: config.alarms.relayIteratorAgeSeconds,
    deadLetterQueues: { relay: events.relay.failedQueueName, email: events.email.dlqName, fulfilment: events.fulfilment.dlqName },
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
    eventBusName: events.relay.busName,
    userPoolId: identity.userPoolId,
    userPoolClientId: identity.clientId,
    mediaBucket: media.bucketName,
    mediaBaseUrl: media.baseUrl,
  };
}
