/** The image sweep's scheduled function (domain/images/sweep.ts): part of the Media component. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mediaSweeperDynamoActions } from "../adapters/dynamodb/permissions.js";
import { scopedFunction } from "./lambda.js";
import { bundles } from "./names.js";
import { rateExpression, type ScheduledTableFunctionArgs } from "./sweeper.js";

export interface ImageSweepArgs extends ScheduledTableFunctionArgs {
  archivedImageRetentionDays: number;
  bucket: aws.s3.Bucket;
}

/** Lists and deletes under `images/` only: it never reads a file, never touches uploads, never writes one. */
const imageDeletions = (bucketArn: string) => [
  { Sid: "ListImages", Effect: "Allow" as const, Action: ["s3:ListBucket"], Resource: [bucketArn], Condition: { StringLike: { "s3:prefix": ["images/*"] } } },
  { Sid: "DeleteImages", Effect: "Allow" as const, Action: ["s3:DeleteObject"], Resource: [`${bucketArn}/images/*`] },
];

export const imageSweep = (parent: pulumi.Resource, name: string, args: ImageSweepArgs) => {
  const fn = scopedFunction(parent, name, {
    functionName: args.functionName,
    bundleDir: args.bundleDir ?? bundles["media-sweeper"],
    memoryMb: args.memoryMb,
    timeoutSeconds: args.timeoutSeconds,
    environment: {
      CARTWRIGHT_STORE: "dynamodb",
      TABLE_NAME: args.tableName,
      MEDIA_BUCKET: args.bucket.bucket,
      MEDIA_ARCHIVED_RETENTION_DAYS: String(args.archivedImageRetentionDays),
    },
    statements: args.bucket.arn.apply(imageDeletions),
    logRetentionDays: args.logRetentionDays,
    logLevel: args.logLevel,
    dynamoActions: mediaSweeperDynamoActions,
    tableArn: args.tableArn,
    indexNames: args.indexNames,
    permissionsBoundary: args.permissionsBoundary,
    tags: args.tags,
  });
  const rule = new aws.cloudwatch.EventRule(
    `${name}-schedule`,
    // Named after the function: deploy roles are scoped to the stack's rule names.
    { name: pulumi.interpolate`${args.functionName}-schedule`, description: "Sweep product images: expired uploads, archived products' images, owed files", scheduleExpression: rateExpression(args.everyMinutes), tags: args.tags },
    { parent },
  );
  new aws.cloudwatch.EventTarget(`${name}-target`, { rule: rule.name, arn: fn.function.arn }, { parent });
  new aws.lambda.Permission(`${name}-invoke`, { action: "lambda:InvokeFunction", function: fn.function.name, principal: "events.amazonaws.com", sourceArn: rule.arn }, { parent });
  return fn;
};
