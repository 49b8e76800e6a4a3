import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mediaValidatorDynamoActions } from "../adapters/dynamodb/permissions.js";
import type { PolicyStatement } from "./iam.js";
import { scopedFunction } from "./lambda.js";
import { bundles } from "./names.js";
import { bucketPolicy, cdn } from "./media-cdn.js";
import { imageSweep } from "./media-sweep.js";

export const incomingPrefix = "incoming/";
export const imagesPrefix = "images/";
/**
 * S3 invokes the validator asynchronously: an event is retried twice and dropped after an hour. With a run of at most
 * 15 minutes, no run for an upload starts or writes after `uploadSettleGraceMs` (2 h): the sweep expires it only then.
 */
export const validatorInvokes = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 } as const;

export interface MediaArgs {
  /** Bucket name (globally unique: `cartwright-<stack>-media-<account>`). */
  bucketName: pulumi.Input<string>;
  /** The account the bucket is in: only its S3 may invoke the validator (a bucket ARN names no account). */
  accountId: pulumi.Input<string>;
  /** Empty the bucket on `pulumi destroy` (sandboxes); otherwise destroy stops at a bucket with images. */
  forceDestroy: boolean;
  /** The validator's function name; its log group is `/aws/lambda/<functionName>`. */
  functionName: pulumi.Input<string>;
  /** Built bundle directory of the validator (sharp for linux-arm64 installed beside index.mjs); `dist/lambda/media`. */
  bundleDir?: string;
  /** Validator memory in MB (sharp decodes up to 40 MP: 1024 or more) and timeout in seconds (at most 900). */
  memoryMb: pulumi.Input<number>;
  timeoutSeconds: pulumi.Input<number>;
  /** Largest upload in bytes, handed to the validator (the API's presigned policy uses the same). */
  maxUploadBytes: number;
  /** CloudFront price class (PriceClass_100: North America and Europe edges only). */
  priceClass: pulumi.Input<string>;
  /** The image sweep: its function, schedule, sizing and how long archived products keep their images. */
  sweeper: {
    functionName: pulumi.Input<string>;
    bundleDir?: string;
    everyMinutes: number;
    memoryMb: pulumi.Input<number>;
    timeoutSeconds: pulumi.Input<number>;
    archivedImageRetentionDays: number;
  };
  /** Name and ARN of the table, and its index names (each granted by ARN). */
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  indexNames: ReadonlyArray<string>;
  logRetentionDays: pulumi.Input<number>;
  logLevel: pulumi.Input<string>;
  permissionsBoundary: pulumi.Input<string>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Product images: a private bucket, the validator on `incoming/`, CloudFront (OAC) serving `images/`, and the image sweep. */
export class Media extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  /** `https://<distribution domain>`: the API's MEDIA_BASE_URL. */
  readonly baseUrl: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly sweeperFunctionName: pulumi.Output<string>;
  /** What the API needs: presigning uploads into `incoming/` and nothing else in the bucket. */
  readonly uploadGrant: pulumi.Output<PolicyStatement>;

  constructor(name: string, args: MediaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Media", name, {}, opts);
    const bucket = privateBucket(this, name, args);
    expireUploads(this, name, bucket);
    const validator = validatorFunction(this, name, args, bucket);
    notifyOnUploads(this, name, args, bucket, validator.function);
    const distribution = cdn(this, name, args, bucket);
    bucketPolicy(this, name, bucket, distribution, imagesPrefix);
    const sweeper = imageSweep(this, `${name}-sweeper`, { ...args, ...args.sweeper, bucket });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.baseUrl = pulumi.interpolate`https://${distribution.domainName}`;
    this.functionName = validator.function.name;
    this.sweeperFunctionName = sweeper.function.name;
    this.uploadGrant = bucket.arn.apply((arn) => ({ Sid: "PresignUploads", Effect: "Allow" as const, Action: ["s3:PutObject"], Resource: [`${arn}/${incomingPrefix}*`] }));
    this.registerOutputs({ bucketName: this.bucketName, baseUrl: this.baseUrl, functionName: this.functionName, sweeperFunctionName: this.sweeperFunctionName });
  }
}

const privateBucket = (parent: pulumi.Resource, name: string, args: MediaArgs) => {
  const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: args.bucketName, forceDestroy: args.forceDestroy, tags: args.tags }, { parent });
  new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { parent });
  new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent });
  return bucket;
};

// Unvalidated uploads never stay: whatever the validator missed is gone after a day, as are abandoned multiparts.
const expireUploads = (parent: pulumi.Resource, name: string, bucket: aws.s3.Bucket) =>
  new aws.s3.BucketLifecycleConfiguration(
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

const validatorFunction = (parent: pulumi.Resource, name: string, args: MediaArgs, bucket: aws.s3.Bucket) => {
  const fn = scopedFunction(parent, `${name}-validator`, {
    functionName: args.functionName,
    bundleDir: args.bundleDir ?? bundles.media,
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
    dynamoActions: mediaValidatorDynamoActions,
    tableArn: args.tableArn,
    indexNames: [],
    permissionsBoundary: args.permissionsBoundary,
    tags: args.tags,
  });
  new aws.lambda.FunctionEventInvokeConfig(`${name}-validator-invokes`, { functionName: fn.function.name, ...validatorInvokes }, { parent });
  return fn;
};

// Filtered to incoming/: the validator writes under images/, so its own writes cannot trigger it (no loop).
const notifyOnUploads = (parent: pulumi.Resource, name: string, args: MediaArgs, bucket: aws.s3.Bucket, fn: aws.lambda.Function) => {
  const permission = new aws.lambda.Permission(
    `${name}-invoke-from-s3`,
    // The account too: a bucket of that name in another account (after a destroy) could not invoke it.
    { action: "lambda:InvokeFunction", function: fn.name, principal: "s3.amazonaws.com", sourceArn: bucket.arn, sourceAccount: args.accountId },
    { parent },
  );
  return new aws.s3.BucketNotification(
    `${name}-notification`,
    { bucket: bucket.id, lambdaFunctions: [{ lambdaFunctionArn: fn.arn, events: ["s3:ObjectCreated:*"], filterPrefix: incomingPrefix }] },
    { parent, dependsOn: [permission] },
  );
};
