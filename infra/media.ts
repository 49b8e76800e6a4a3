import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { scopedFunction } from "./lambda.js";

/** The validator's table access: read and settle intents, read and write images, put outbox items. */
export const mediaDynamoActions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:ConditionCheckItem"] as const;
export const incomingPrefix = "incoming/";
export const imagesPrefix = "images/";

export interface MediaArgs {
  /** Bucket name (globally unique: prefix it with the account or stack). */
  bucketName: pulumi.Input<string>;
  /** The validator function's name; its log group is `/aws/lambda/<functionName>`. */
  functionName: pulumi.Input<string>;
  /** Built bundle directory of the validator (sharp for linux-arm64 installed beside index.js). */
  bundleDir?: string;
  /** Validator memory in MB (sharp decodes up to 40 MP: 1024 or more) and timeout in seconds. */
  memoryMb: pulumi.Input<number>;
  timeoutSeconds: pulumi.Input<number>;
  /** Largest upload in bytes, handed to the validator (the API's presigned policy uses the same). */
  maxUploadBytes: number;
  /** CloudFront price class (PriceClass_100: North America and Europe edges only). */
  priceClass: pulumi.Input<string>;
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  /** SNS topic the validator's failure alarm notifies; no alarm without one. */
  alarmTopicArn?: pulumi.Input<string>;
  logRetentionDays: pulumi.Input<number>;
  logLevel: pulumi.Input<string>;
  permissionsBoundary: pulumi.Input<string>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Product images: a private bucket, the validator on `incoming/`, and CloudFront (OAC) serving `images/`. */
export class Media extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  /** `https://<distribution domain>`: the API's MEDIA_BASE_URL. */
  readonly baseUrl: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;

  constructor(name: string, args: MediaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Media", name, {}, opts);
    const bucket = privateBucket(this, name, args);
    expireUploads(this, name, bucket);
    const validator = validatorFunction(this, name, args, bucket);
    notifyOnUploads(this, name, bucket, validator.function);
    const distribution = cdn(this, name, args, bucket);
    bucketPolicy(this, name, bucket, distribution);
    if (args.alarmTopicArn !== undefined) failureAlarm(this, name, args, validator.function);
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.baseUrl = pulumi.interpolate`https://${distribution.domainName}`;
    this.functionName = validator.function.name;
    this.registerOutputs({ bucketName: this.bucketName, baseUrl: this.baseUrl, functionName: this.functionName });
  }
}

const privateBucket = (parent: pulumi.Resource, name: string, args: MediaArgs) => {
  const bucket = new aws.s3.BucketV2(`${name}-bucket`, { bucket: args.bucketName, tags: args.tags }, { parent });
  new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { parent });
  new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent });
  return bucket;
};

// Unvalidated uploads never stay: whatever the validator missed is gone after a day, as are abandoned multiparts.
const expireUploads = (parent: pulumi.Resource, name: string, bucket: aws.s3.BucketV2) =>
  new aws.s3.BucketLifecycleConfigurationV2(
    `${name}-lifecycle`,
    {
      bucket: bucket.id,
      rules: [
        { id: "expire-incoming", status: "Enabled", filter: { prefix: incomingPrefix }, expiration: { days: 1 } },
        { id: "abort-multipart", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
      ],
    },
    { parent },
  );

const validatorFunction = (parent: pulumi.Resource, name: string, args: MediaArgs, bucket: aws.s3.BucketV2) =>
  scopedFunction(parent, `${name}-validator`, {
    functionName: args.functionName,
    bundleDir: args.bundleDir ?? "dist/lambda/media",
    memoryMb: args.memoryMb,
    timeoutSeconds: args.timeoutSeconds,
    environment: { CARTWRIGHT_STORE: "dynamodb", TABLE_NAME: args.tableName, MEDIA_BUCKET: bucket.bucket, MEDIA_MAX_UPLOAD_BYTES: String(args.maxUploadBytes) },
    // Reads and deletes uploads, writes variants: never the other way round.
    statements: bucket.arn.apply((arn) => [
      { Sid: "ReadUploads", Effect: "Allow" as const, Action: ["s3:GetObject", "s3:DeleteObject"], Resource: [`${arn}/${incomingPrefix}*`] },
      { Sid: "WriteVariants", Effect: "Allow" as const, Action: ["s3:PutObject"], Resource: [`${arn}/${imagesPrefix}*`] },
    ]),
    logRetentionDays: args.logRetentionDays,
    logLevel: args.logLevel,
    dynamoActions: mediaDynamoActions,
    tableArn: args.tableArn,
    indexNames: [],
    permissionsBoundary: args.permissionsBoundary,
    tags: args.tags,
  });

// Filtered to incoming/: the validator writes under images/, so its own writes cannot trigger it (no loop).
const notifyOnUploads = (parent: pulumi.Resource, name: string, bucket: aws.s3.BucketV2, fn: aws.lambda.Function) => {
  const permission = new aws.lambda.Permission(
    `${name}-invoke-from-s3`,
    { action: "lambda:InvokeFunction", function: fn.name, principal: "s3.amazonaws.com", sourceArn: bucket.arn },
    { parent },
  );
  return new aws.s3.BucketNotification(
    `${name}-notification`,
    { bucket: bucket.id, lambdaFunctions: [{ lambdaFunctionArn: fn.arn, events: ["s3:ObjectCreated:*"], filterPrefix: incomingPrefix }] },
    { parent, dependsOn: [permission] },
  );
};

const cdn = (parent: pulumi.Resource, name: string, args: MediaArgs, bucket: aws.s3.BucketV2) => {
  const oac = new aws.cloudfront.OriginAccessControl(
    `${name}-oac`,
    { name: args.bucketName, originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
    { parent },
  );
  return new aws.cloudfront.Distribution(
    `${name}-cdn`,
    {
      enabled: true,
      priceClass: args.priceClass,
      origins: [{ originId: "media", domainName: bucket.bucketRegionalDomainName, originAccessControlId: oac.id }],
      defaultCacheBehavior: {
        targetOriginId: "media",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        // AWS's managed CachingOptimized policy: keys are content-addressed, so objects never change.
        cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        compress: false,
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
      tags: args.tags,
    },
    { parent },
  );
};

/** Only this distribution may read, and only the variants: uploads are never served. */
const bucketPolicy = (parent: pulumi.Resource, name: string, bucket: aws.s3.BucketV2, distribution: aws.cloudfront.Distribution) =>
  new aws.s3.BucketPolicy(
    `${name}-policy`,
    {
      bucket: bucket.id,
      policy: pulumi.all([bucket.arn, distribution.arn]).apply(([bucketArn, distributionArn]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "CloudFrontReadsVariants",
              Effect: "Allow",
              Principal: { Service: "cloudfront.amazonaws.com" },
              Action: "s3:GetObject",
              Resource: `${bucketArn}/${imagesPrefix}*`,
              Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
            },
          ],
        }),
      ),
    },
    { parent },
  );

const failureAlarm = (parent: pulumi.Resource, name: string, args: MediaArgs, fn: aws.lambda.Function) =>
  new aws.cloudwatch.MetricAlarm(
    `${name}-validator-errors`,
    {
      alarmDescription: "The image validator failed (S3 retries twice, then the upload stays pending until incoming/ expires)",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [args.alarmTopicArn!],
      tags: args.tags,
    },
    { parent },
  );
