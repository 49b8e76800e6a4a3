import { tableNameFor } from "../adapters/dynamodb/table.js";

/** Tags every taggable resource carries; the budget and the orphan check filter on them. */
export type Tags = { readonly project: string; readonly stack: string; readonly owner: string };

export const stackTags = (stack: string, owner: string): Tags => ({ project: "cartwright", stack, owner });

/** Physical names derived from the stack, shared by the program and the orphan check. */
export const stackNames = (stack: string) => ({
  prefix: `cartwright-${stack}`,
  table: tableNameFor(stack),
  httpApi: `cartwright-${stack}`,
  apiFunction: `cartwright-${stack}-api`,
  sweeperFunction: `cartwright-${stack}-sweeper`,
  bus: `cartwright-${stack}`,
  relayFunction: `cartwright-${stack}-relay`,
  relayFailedQueue: `cartwright-${stack}-relay-failed`,
  consumerFunction: (consumer: string) => `cartwright-${stack}-${consumer}`,
  consumerQueue: (consumer: string) => `cartwright-${stack}-${consumer}`,
  consumerDlq: (consumer: string) => `cartwright-${stack}-${consumer}-dlq`,
  apiAccessLogGroup: `/aws/apigateway/cartwright-${stack}-api-access`,
  alarmTopic: `cartwright-${stack}-alarms`,
  /** Bucket names are global: the account id makes the stack's unique. */
  mediaBucket: (accountId: string) => `cartwright-${stack}-media-${accountId}`,
  mediaFunction: `cartwright-${stack}-media`,
  mediaSweeperFunction: `cartwright-${stack}-media-sweeper`,
  budget: `cartwright-${stack}-monthly`,
});

export const lambdaLogGroupName = (functionName: string): string => `/aws/lambda/${functionName}`;

/** The built bundles (`npm run build`); Pulumi resolves them from the project root. */
export const bundles = {
  api: "dist/lambda/api",
  sweeper: "dist/lambda/sweeper",
  relay: "dist/lambda/relay",
  email: "dist/lambda/email",
  fulfilment: "dist/lambda/fulfilment",
  media: "dist/lambda/media",
  "media-sweeper": "dist/lambda/media-sweeper",
} as const;
