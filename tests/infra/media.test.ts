import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Media } from "../../infra/media.js";
import { type RecordedResource, recordRegistrations } from "../../infra/mocks/run.js";
import { mockCall, mockState } from "../../infra/mocks/state.js";

/** The component alone under Pulumi's mocks, sized as each stack would size it. */
const runMedia = async (stack: string, memoryMb: number): Promise<RecordedResource[]> => {
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
    functionName: `cartwright-${stack}-media`,
    memoryMb,
    timeoutSeconds: 30,
    maxUploadBytes: 10 * 1024 * 1024,
    priceClass: "PriceClass_100",
    tableName: `cartwright-${stack}`,
    tableArn: `arn:aws:dynamodb:us-east-1:123456789012:table/cartwright-${stack}`,
    alarmTopicArn: `arn:aws:sns:us-east-1:123456789012:cartwright-${stack}-alarms`,
    logRetentionDays: 3,
    logLevel: "INFO",
    permissionsBoundary: "arn:aws:iam::123456789012:policy/boundary",
    tags: { project: "cartwright", stack, owner: "test" },
  });
  await new Promise((done) => media.baseUrl.apply(done));
  await pulumi.runtime.disconnect();
  return resources;
};

const one = (resources: RecordedResource[], type: string) => {
  const found = resources.filter((r) => r.type === type);
  expect(found).toHaveLength(1);
  return found[0]!.inputs as Record<string, any>;
};

describe.each([["dev", 1024], ["staging", 1536], ["prod", 2048]] as const)("Media (%s)", (stack, memoryMb) => {
  let resources: RecordedResource[] = [];
  beforeAll(async () => {
    resources = await runMedia(stack, memoryMb);
  });

  it("keeps the bucket private: public access blocked, owner enforced, readable only by its distribution through OAC, only under images/", async () => {
    expect(one(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(one(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(one(resources, "aws:cloudfront/originAccessControl:OriginAccessControl")).toMatchObject({ originAccessControlOriginType: "s3", signingBehavior: "always" });
    const distribution = one(resources, "aws:cloudfront/distribution:Distribution");
    expect(distribution.origins[0].originAccessControlId).toBe("media-oac-id");
    const policy = JSON.parse(one(resources, "aws:s3/bucketPolicy:BucketPolicy").policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({ Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject" });
    expect(policy.Statement[0].Resource).toMatch(/\/images\/\*$/);
    expect(policy.Statement[0].Condition.StringEquals["AWS:SourceArn"]).toMatch(/cloudfront\/distribution:Distribution\/media-cdn$/);
  });

  it("expires incoming/ and incomplete multipart uploads after a day", async () => {
    const rules = one(resources, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2").rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ filter: { prefix: "incoming/" }, expiration: { days: 1 }, status: "Enabled" }),
        expect.objectContaining({ abortIncompleteMultipartUpload: { daysAfterInitiation: 1 }, status: "Enabled" }),
      ]),
    );
  });

  it("triggers the validator on incoming/ only, and the validator writes only under images/ (no self-trigger)", async () => {
    const notification = one(resources, "aws:s3/bucketNotification:BucketNotification");
    expect(notification.lambdaFunctions).toEqual([expect.objectContaining({ filterPrefix: "incoming/", events: ["s3:ObjectCreated:*"] })]);
    const grants = resources
      .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "media-validator-access")
      .flatMap((r) => JSON.parse(String(r.inputs.policy)).Statement as Array<{ Action: string[]; Resource: string[] }>);
    const writes = grants.filter((s) => s.Action.includes("s3:PutObject")).flatMap((s) => s.Resource);
    expect(writes.length).toBeGreaterThan(0);
    for (const resource of writes) expect(resource).toMatch(/\/images\/\*$/);
    expect(grants.flatMap((s) => s.Action).every((a) => !a.includes("*"))).toBe(true);
  });

  it("sizes the validator from the stack and alarms on its failures", async () => {
    expect(one(resources, "aws:lambda/function:Function").memorySize).toBe(memoryMb);
    expect(one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm")).toMatchObject({ metricName: "Errors", threshold: 0 });
  });
});
