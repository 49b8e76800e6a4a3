/**
 * The permissions boundary every role the program creates carries (`cartwright-<stack>-boundary`, created once
 * per account from `npm run deploy-policy -- --stack <stack> --boundary`): the most any function of the stack
 * may ever do, on the stack's own resources. A deploy role may create and change roles only with it attached
 * (infra/deploy-policy.ts), so whatever inline policy a deploy writes, no role it makes can exceed it.
 */
import { apiDynamoActions, consumerDynamoActions, mediaSweeperDynamoActions, mediaValidatorDynamoActions, sweeperDynamoActions } from "../adapters/dynamodb/permissions.js";
import type { Statement } from "./deploy-policy.js";

export const boundaryArn = (accountId: string, stack: string): string => `arn:aws:iam::${accountId}:policy/cartwright-${stack}-boundary`;

export const permissionsBoundaryPolicy = (stack: string, emailIdentities: ReadonlyArray<string>) => {
  const p = `cartwright-${stack}`;
  const statements: Statement[] = [
    {
      Sid: "StackTable",
      Effect: "Allow",
      Action: [...new Set([...apiDynamoActions, ...sweeperDynamoActions, ...consumerDynamoActions, ...mediaValidatorDynamoActions, ...mediaSweeperDynamoActions])].sort(),
      Resource: [`arn:aws:dynamodb:*:*:table/${p}`, `arn:aws:dynamodb:*:*:table/${p}/index/*`],
    },
    {
      Sid: "StackTableStream",
      Effect: "Allow",
      Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
      Resource: [`arn:aws:dynamodb:*:*:table/${p}/stream/*`],
    },
    { Sid: "StackParameters", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [`arn:aws:ssm:*:*:parameter/cartwright/${stack}/*`] },
    { Sid: "OwnLogGroups", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`arn:aws:logs:*:*:log-group:/aws/lambda/${p}-*:*`] },
    {
      Sid: "StackQueues",
      Effect: "Allow",
      Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:SendMessage"],
      Resource: [`arn:aws:sqs:*:*:${p}-*`],
    },
    { Sid: "StackBus", Effect: "Allow", Action: ["events:PutEvents"], Resource: [`arn:aws:events:*:*:event-bus/${p}`] },
    // The media bucket: uploads in (the API's presigned forms), read and deleted by the validator; variants written by
    // the validator, listed and deleted by the image sweep. Nothing may read images/ but CloudFront (the bucket policy).
    { Sid: "StackMediaUploads", Effect: "Allow", Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], Resource: [`arn:aws:s3:::${p}-media-*/incoming/*`] },
    { Sid: "StackMediaImages", Effect: "Allow", Action: ["s3:DeleteObject", "s3:PutObject"], Resource: [`arn:aws:s3:::${p}-media-*/images/*`] },
    { Sid: "StackMediaListImages", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [`arn:aws:s3:::${p}-media-*`], Condition: { StringLike: { "s3:prefix": ["images/*"] } } },
    ...(emailIdentities.length > 0
      ? [{ Sid: "StackEmailIdentity", Effect: "Allow" as const, Action: ["ses:SendEmail", "ses:SendRawEmail"], Resource: emailIdentities.map((i) => `arn:aws:ses:*:*:identity/${i}`) }]
      : []),
  ];
  return { Version: "2012-10-17", Statement: statements };
};
