import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { uploadSettleGraceMs } from "../../domain/index.js";
import { Media, validatorInvokes } from "../../infra/media.js";
import { type RecordedResource, recordRegistrations } from "../../infra/mocks/run.js";
import { mockCall, mockState } from "../../infra/mocks/state.js";

const bucketArn = (stack: string) => `arn:aws:s3:::cartwright-${stack}-media-123456789012`;

/** The component alone under Pulumi's mocks, sized as each stack would size it. */
const runMedia = async (stack: string, memoryMb: number) => {
  await pulumi.runtime.setMocks(
    { newResource: (args) => ({ id: args.custom ? `${args.name}-id` : undefined, state: mockState(args.type, args.name, args.inputs, "us-east-1") }), call: (args) => mockCall(args.token, args.inputs) },
    "cartwright",
    stack,
    false,
  );
  const resources: RecordedResource[] = [];
  recordRegistrations(resources);
  const media = new Media("media", {
    bucketName: `cartwright-${stack}-media-123456789012`,
    accountId: "123456789012",
    forceDestroy: stack !== "prod",
    functionName: `cartwright-${stack}-media`,
    memoryMb,
    timeoutSeconds: 60,
    maxUploadBytes: 10 * 1024 * 1024,
    priceClass: "PriceClass_100",
    sweeper: { functionName: `cartwright-${stack}-media-sweeper`, everyMinutes: 60, memoryMb: 256, timeoutSeconds: 120, archivedImageRetentionDays: 30 },
    tableName: `cartwright-${stack}`,
    tableArn: `arn:aws:dynamodb:us-east-1:123456789012:table/cartwright-${stack}`,
    indexNames: ["GSI3"],
    logRetentionDays: 3,
    logLevel: "INFO",
    permissionsBoundary: "arn:aws:iam::123456789012:policy/boundary",
    tags: { project: "cartwright", stack, owner: "test" },
  });
  const uploadGrant = await new Promise((done) => media.uploadGrant.apply(done));
  await pulumi.runtime.disconnect();
  return { resources, uploadGrant };
};

const one = (resources: RecordedResource[], type: string, name?: string) => {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found).toHaveLength(1);
  return found[0]!.inputs as Record<string, any>;
};

const grantsOf = (resources: RecordedResource[], policy: string) =>
  resources
    .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === policy)
    .flatMap((r) => JSON.parse(String(r.inputs.policy)).Statement as Array<{ Action: string[]; Resource: string[]; Condition?: unknown }>);

describe.each([["dev", 1024], ["staging", 1536], ["prod", 2048]] as const)("Media (%s)", (stack, memoryMb) => {
  let resources: RecordedResource[] = [];
  let uploadGrant: unknown;
  beforeAll(async () => {
    ({ resources, uploadGrant } = await runMedia(stack, memoryMb));
  });

  it("keeps the bucket private: public access blocked, owner enforced, readable only by its distribution through OAC, only under images/", () => {
    expect(one(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(one(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(one(resources, "aws:cloudfront/originAccessControl:OriginAccessControl")).toMatchObject({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
    const distribution = one(resources, "aws:cloudfront/distribution:Distribution");
    expect(distribution.origins).toEqual([expect.objectContaining({ originAccessControlId: "media-oac-id", domainName: `cartwright-${stack}-media-123456789012.s3.us-east-1.amazonaws.com` })]);
    expect(distribution.defaultCacheBehavior).toMatchObject({
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["GET", "HEAD"],
      // AWS's managed policies: CachingOptimized (immutable keys), SecurityHeadersPolicy (nosniff, HSTS).
      cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
      responseHeadersPolicyId: "67f7725c-6f97-4210-82d7-5512b31e9d03",
    });
    const policy = JSON.parse(one(resources, "aws:s3/bucketPolicy:BucketPolicy").policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "CloudFrontReadsVariants",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Resource: `${bucketArn(stack)}/images/*`,
        Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/media-cdn-id" } },
      },
      { Sid: "DenyWithoutTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn(stack), `${bucketArn(stack)}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ]);
  });

  it("expires incoming/ and incomplete multipart uploads after a day, and never expires images/", () => {
    const rules = one(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules as Array<Record<string, any>>;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ filter: { prefix: "incoming/" }, expiration: { days: 1 }, status: "Enabled" }),
        expect.objectContaining({ abortIncompleteMultipartUpload: { daysAfterInitiation: 1 }, status: "Enabled" }),
      ]),
    );
    expect(rules.filter((r) => r.expiration !== undefined).map((r) => r.filter)).toEqual([{ prefix: "incoming/" }]);
  });

  it("triggers the validator on incoming/ only, and the validator writes only under images/ (no self-trigger)", () => {
    const notification = one(resources, "aws:s3/bucketNotification:BucketNotification");
    expect(notification.lambdaFunctions).toEqual([expect.objectContaining({ filterPrefix: "incoming/", events: ["s3:ObjectCreated:*"] })]);
    const grants = grantsOf(resources, "media-validator-access");
    expect(grants.map((s) => [s.Action, s.Resource])).toEqual([
      [["s3:GetObject", "s3:DeleteObject"], [`${bucketArn(stack)}/incoming/*`]],
      [["s3:PutObject"], [`${bucketArn(stack)}/images/*`]],
    ]);
    expect(one(resources, "aws:lambda/permission:Permission", "media-invoke-from-s3")).toMatchObject({ principal: "s3.amazonaws.com", sourceArn: bucketArn(stack), sourceAccount: "123456789012" });
  });

  it("lets the API presign uploads into incoming/ and nothing else in the bucket", () => {
    expect(uploadGrant).toEqual({ Sid: "PresignUploads", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${bucketArn(stack)}/incoming/*`] });
  });

  it("lets the image sweep list and delete under images/ only: it never reads, writes, or touches uploads", () => {
    expect(grantsOf(resources, "media-sweeper-access")).toEqual([
      { Sid: "ListImages", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn(stack)], Condition: { StringLike: { "s3:prefix": ["images/*"] } } },
      { Sid: "DeleteImages", Effect: "Allow", Action: ["s3:DeleteObject"], Resource: [`${bucketArn(stack)}/images/*`] },
    ]);
    expect(one(resources, "aws:cloudwatch/eventRule:EventRule")).toMatchObject({ name: `cartwright-${stack}-media-sweeper-schedule`, scheduleExpression: "rate(60 minutes)" });
    expect(one(resources, "aws:lambda/function:Function", "media-sweeper-function").environment.variables).toMatchObject({ MEDIA_ARCHIVED_RETENTION_DAYS: "30" });
  });

  it("drops the validator's events after an hour and two retries, so no run can outlive the sweep's grace for a pending upload", () => {
    expect(one(resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")).toMatchObject({ functionName: `cartwright-${stack}-media`, ...validatorInvokes });
    // The longest a validator run can still write: the event's last retry starts before its maximum age, and runs at most 900 s.
    expect((validatorInvokes.maximumEventAgeInSeconds + 900) * 1000).toBeLessThan(uploadSettleGraceMs);
  });

  it("sizes the validator from the stack, and empties the bucket on destroy only where the stack says so", () => {
    expect(one(resources, "aws:lambda/function:Function", "media-validator-function")).toMatchObject({ memorySize: memoryMb, code: { archive: "dist/lambda/media" } });
    expect(one(resources, "aws:lambda/function:Function", "media-sweeper-function")).toMatchObject({ memorySize: 256, code: { archive: "dist/lambda/media-sweeper" } });
    expect(one(resources, "aws:s3/bucket:Bucket").forceDestroy).toBe(stack !== "prod");
  });
});
