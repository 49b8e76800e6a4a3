import { beforeAll, describe, expect, it } from "vitest";
import { type StackRun, runStack } from "../../infra/mocks/run.js";
import { env, named, ofType, statements, types } from "./helpers.js";
import { identityCases } from "./identity-cases.js";

/** The sizing agreed in issue 5, restated here so a YAML edit that drifts from it fails. */
const sizing = [
  {
    stack: "dev",
    memoryMb: 256,
    reservedConcurrency: undefined,
    database: { billingMode: "PAY_PER_REQUEST", capacity: undefined, autoscaling: undefined },
    pitr: false,
    deletionProtection: false,
    protect: false,
    retentionDays: 3,
    throttle: { rate: 20, burst: 40 },
    holdTtlSeconds: 15 * 60,
    sweeperSchedule: "rate(15 minutes)",
    alarms: [],
    webhooks: false,
    budgetUsd: "15",
    media: { validatorMb: 1024, retentionDays: "7", forceDestroy: true },
  },
  {
    stack: "staging",
    memoryMb: 512,
    reservedConcurrency: 25,
    database: { billingMode: "PAY_PER_REQUEST", capacity: undefined, autoscaling: undefined },
    pitr: true,
    deletionProtection: false,
    protect: false,
    retentionDays: 14,
    throttle: { rate: 100, burst: 200 },
    holdTtlSeconds: 2 * 3600,
    sweeperSchedule: "rate(5 minutes)",
    alarms: [
      "alarms-api5xx",
      "alarms-codeCacheRejected",
      "alarms-deadLetters-email",
      "alarms-deadLetters-fulfilment",
      "alarms-deadLetters-relay",
      "alarms-errors",
      "alarms-mediaFailures-sweeper",
      "alarms-mediaFailures-validator",
      "alarms-reportedFailures-email",
      "alarms-reportedFailures-fulfilment",
      "alarms-reportedFailures-images",
      "alarms-reportedFailures-relay",
      "alarms-reportedFailures-sweeper",
    ],
    webhooks: true,
    budgetUsd: "50",
    media: { validatorMb: 1536, retentionDays: "30", forceDestroy: true },
  },
  {
    stack: "prod",
    memoryMb: 1024,
    reservedConcurrency: 200,
    database: { billingMode: "PROVISIONED", capacity: 10, autoscaling: { min: 10, max: 200 } },
    pitr: true,
    deletionProtection: true,
    protect: true,
    retentionDays: 90,
    throttle: { rate: 1000, burst: 2000 },
    holdTtlSeconds: 2 * 3600,
    sweeperSchedule: "rate(1 minute)",
    alarms: [
      "alarms-api4xxRate",
      "alarms-api5xx",
      "alarms-codeCacheRejected",
      "alarms-deadLetters-email",
      "alarms-deadLetters-fulfilment",
      "alarms-deadLetters-relay",
      "alarms-errors",
      "alarms-latencyP99",
      "alarms-mediaFailures-sweeper",
      "alarms-mediaFailures-validator",
      "alarms-relayIteratorAge",
      "alarms-reportedFailures-email",
      "alarms-reportedFailures-fulfilment",
      "alarms-reportedFailures-images",
      "alarms-reportedFailures-relay",
      "alarms-reportedFailures-sweeper",
      "alarms-sweeperFailures",
      "alarms-throttles",
    ],
    webhooks: true,
    budgetUsd: "150",
    media: { validatorMb: 2048, retentionDays: "90", forceDestroy: false },
  },
] as const;

for (const expected of sizing) {
  describe(`Stack ${expected.stack}`, () => {
    let run: StackRun;
    identityCases(expected.stack, () => run);
    beforeAll(async () => {
      run = await runStack(expected.stack);
    });

    it("sizes the API function from the stack file (memory, reserved concurrency, arm64, nodejs22.x)", () => {
      const fn = named(run, types.fn, "api-function");
      expect(fn.inputs.memorySize).toBe(expected.memoryMb);
      expect(fn.inputs.reservedConcurrentExecutions).toBe(expected.reservedConcurrency);
      expect(fn.inputs).toMatchObject({ architectures: ["arm64"], runtime: "nodejs22.x", handler: "index.handler" });
    });

    it("deploys the built bundles, not source (each function from its dist/lambda/<name> directory)", () => {
      expect(named(run, types.fn, "api-function").inputs.code).toEqual({ archive: "dist/lambda/api" });
      expect(named(run, types.fn, "sweeper-function").inputs.code).toEqual({ archive: "dist/lambda/sweeper" });
      expect(named(run, types.fn, "media-validator-function").inputs.code).toEqual({ archive: "dist/lambda/media" });
      expect(named(run, types.fn, "media-sweeper-function").inputs.code).toEqual({ archive: "dist/lambda/media-sweeper" });
    });

    it("gives the API exactly one S3 grant: s3:PutObject on the stack's bucket under incoming/ (what its presigned forms upload as)", () => {
      const bucket = `cartwright-${expected.stack}-media-123456789012`;
      const s3 = statements(run).filter((st) => st.role.startsWith("api-") && st.Action.some((a) => a.startsWith("s3:")));
      expect(s3).toEqual([{ role: "api-access", Sid: "PresignUploads", Action: ["s3:PutObject"], Resource: [`arn:aws:s3:::${bucket}/incoming/*`] }]);
      expect(named(run, types.fn, "media-validator-function").inputs.memorySize).toBe(expected.media.validatorMb);
      expect(env(named(run, types.fn, "media-sweeper-function")).MEDIA_ARCHIVED_RETENTION_DAYS).toBe(expected.media.retentionDays);
      expect(named(run, "aws:s3/bucket:Bucket", "media-bucket").inputs).toMatchObject({ bucket, forceDestroy: expected.media.forceDestroy });
    });

    it("serves images only through its own CloudFront distribution (OAC; the bucket policy names that distribution's ARN), triggers the validator on incoming/ only, and expires uploads", () => {
      const distribution = named(run, "aws:cloudfront/distribution:Distribution", "media-cdn");
      const oac = named(run, "aws:cloudfront/originAccessControl:OriginAccessControl", "media-oac");
      expect((distribution.inputs.origins as Array<{ originAccessControlId: string }>)[0]!.originAccessControlId).toBe("media-oac-id");
      expect(oac.inputs).toMatchObject({ originAccessControlOriginType: "s3", signingBehavior: "always" });
      const policy = JSON.parse(String(named(run, "aws:s3/bucketPolicy:BucketPolicy", "media-policy").inputs.policy)) as { Statement: Array<Record<string, any>> };
      const reads = policy.Statement.filter((st) => st.Effect === "Allow");
      expect(reads).toEqual([expect.objectContaining({ Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: expect.stringMatching(/\/images\/\*$/) })]);
      expect(reads[0]!.Condition).toEqual({ StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/media-cdn-id" } });
      const notification = named(run, "aws:s3/bucketNotification:BucketNotification", "media-notification").inputs;
      expect(notification.lambdaFunctions).toEqual([expect.objectContaining({ filterPrefix: "incoming/", events: ["s3:ObjectCreated:*"] })]);
      // The validator writes only under images/, which the notification does not watch: it cannot trigger itself.
      const writes = statements(run).filter((st) => st.role === "media-validator-access" && st.Action.includes("s3:PutObject"));
      expect(writes.flatMap((st) => st.Resource)).toEqual([`arn:aws:s3:::cartwright-${expected.stack}-media-123456789012/images/*`]);
      const rules = named(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "media-lifecycle").inputs.rules;
      expect(rules).toContainEqual(expect.objectContaining({ filter: { prefix: "incoming/" }, expiration: { days: 1 } }));
    });

    it("configures the API function through its environment", () => {
      expect(env(named(run, types.fn, "api-function"))).toEqual({
        CARTWRIGHT_STORE: "dynamodb",
        TABLE_NAME: `cartwright-${expected.stack}`,
        JWT_SECRET_PARAMETER: `/cartwright/${expected.stack}/jwt-signing-keys`,
        CORS_ORIGINS: expect.stringMatching(/^\S+$/),
        HOLD_TTL_SECONDS: String(expected.holdTtlSeconds),
        PAYMENT_WINDOW_MINUTES: expect.stringMatching(/^\d+$/),
        MANUAL_PAYMENTS: "false",
        // No Stripe secrets in the test stacks: payments answer 503 until they are set.
        PAYMENT_PROVIDER: "none",
        // Login limits from the stack file, kept in the table.
        AUTH_IP_MAX_ATTEMPTS: expect.stringMatching(/^\d+$/),
        AUTH_IP_WINDOW_SECONDS: "60",
        AUTH_ACCOUNT_MAX_ATTEMPTS: expect.stringMatching(/^\d+$/),
        AUTH_ACCOUNT_WINDOW_SECONDS: "900",
        // Where its EMF lines (cold starts, code cache) go: the namespace the codeCacheRejected alarm reads.
        METRICS_NAMESPACE: `Cartwright/${expected.stack}`,
        // Uploads: the stack's bucket, its CDN, the limits from cartwright:media.
        MEDIA_BUCKET: `cartwright-${expected.stack}-media-123456789012`,
        MEDIA_BASE_URL: "https://media-cdn-id.cloudfront.net",
        MEDIA_MAX_UPLOAD_BYTES: "10485760",
        MEDIA_UPLOAD_TTL_SECONDS: "300",
        // The user pool's ids where the stack trusts Cognito (tests/infra/identity.test.ts).
        ...(expected.stack === "dev" ? {} : { COGNITO_USER_POOL_ID: "identity-pool-id", COGNITO_CLIENT_ID: "identity-client-id" }),
      });
    });

    it("gives the sweeper the payment window, so it cancels unpaid orders and their payments", () => {
      expect(env(named(run, types.fn, "sweeper-function"))).toMatchObject({ PAYMENT_WINDOW_MINUTES: expect.stringMatching(/^\d+$/), MANUAL_PAYMENTS: "false" });
    });

    it("runs every function without --enable-source-maps (defect stacks are mapped on demand) and logs JSON at the stack's level", () => {
      for (const fn of ofType(run, types.fn)) {
        expect(env(fn).NODE_OPTIONS).toBeUndefined();
        expect(fn.inputs.loggingConfig).toMatchObject({ logFormat: "JSON", applicationLogLevel: "INFO", systemLogLevel: "WARN" });
      }
    });

    it("bills and sizes the table, and every index, as the sizing table says", () => {
      const table = named(run, types.table, "database-table").inputs;
      const { billingMode, capacity } = expected.database;
      expect(table.billingMode).toBe(billingMode);
      expect(table.readCapacity).toBe(capacity);
      expect(table.writeCapacity).toBe(capacity);
      for (const index of table.globalSecondaryIndexes as Array<Record<string, unknown>>) {
        expect([index.readCapacity, index.writeCapacity]).toEqual([capacity, capacity]);
      }
    });

    it("autoscales read and write on the table and every index only when the stack asks for it", () => {
      const table = named(run, types.table, "database-table").inputs;
      const scalables = 1 + (table.globalSecondaryIndexes as unknown[]).length;
      const targets = ofType(run, types.target);
      const { autoscaling } = expected.database;
      expect(targets).toHaveLength(autoscaling === undefined ? 0 : scalables * 2);
      expect(ofType(run, types.policy)).toHaveLength(targets.length);
      for (const target of targets) expect(target.inputs).toMatchObject({ minCapacity: autoscaling?.min, maxCapacity: autoscaling?.max });
      const ignored = named(run, types.table, "database-table").ignoreChanges;
      expect(ignored.includes("readCapacity")).toBe(autoscaling !== undefined);
    });

    it("protects the table as sized: PITR, deletion protection and the `protect` option", () => {
      const table = named(run, types.table, "database-table");
      expect(table.inputs.pointInTimeRecovery).toEqual({ enabled: expected.pitr });
      expect(table.inputs.deletionProtectionEnabled).toBe(expected.deletionProtection);
      expect(table.protect).toBe(expected.protect);
      expect(run.resources.filter((r) => r.protect).map((r) => r.name)).toEqual(expected.protect ? ["database-table"] : []);
    });

    it("keeps every log group at the stack's retention, one per function plus the API access logs", () => {
      const groups = ofType(run, types.logGroup).map((g) => [g.inputs.name, g.inputs.retentionInDays]);
      expect(groups.sort()).toEqual(
        [
          [`/aws/apigateway/cartwright-${expected.stack}-api-access`, expected.retentionDays],
          [`/aws/lambda/cartwright-${expected.stack}-api`, expected.retentionDays],
          [`/aws/lambda/cartwright-${expected.stack}-sweeper`, expected.retentionDays],
          [`/aws/lambda/cartwright-${expected.stack}-relay`, expected.retentionDays],
          [`/aws/lambda/cartwright-${expected.stack}-email`, expected.retentionDays],
          [`/aws/lambda/cartwright-${expected.stack}-fulfilment`, expected.retentionDays],
          [`/aws/lambda/cartwright-${expected.stack}-media`, expected.retentionDays],
          [`/aws/lambda/cartwright-${expected.stack}-media-sweeper`, expected.retentionDays],
        ].sort(),
      );
    });

    it("creates each function after its own log group (invariant: destroy removes the function, then its logs)", () => {
      for (const component of ["api", "sweeper", "media-validator", "media-sweeper"]) {
        const fn = named(run, types.fn, `${component}-function`);
        const logGroup = named(run, types.logGroup, `${component}-logs`);
        expect(fn.dependencies).toContain(logGroup.urn);
        expect(logGroup.inputs.name).toBe(`/aws/lambda/${String(fn.inputs.name)}`);
        expect(fn.inputs.loggingConfig).toMatchObject({ logGroup: logGroup.inputs.name });
      }
    });

    it("throttles the $default stage and logs access to its own group", () => {
      const stage = named(run, types.stage, "api-stage").inputs;
      expect(stage).toMatchObject({ name: "$default", autoDeploy: true });
      expect(stage.defaultRouteSettings).toEqual({ throttlingRateLimit: expected.throttle.rate, throttlingBurstLimit: expected.throttle.burst });
      expect(stage.accessLogSettings).toMatchObject({ destinationArn: expect.stringContaining(`log-group:/aws/apigateway/cartwright-${expected.stack}-api-access`) });
    });

    it("proxies every route to the function with payload 2.0, and lets only this API invoke it", () => {
      expect(named(run, types.integration, "api-integration").inputs).toMatchObject({ integrationType: "AWS_PROXY", payloadFormatVersion: "2.0" });
      expect(named(run, types.route, "api-route").inputs.routeKey).toBe("$default");
      expect(named(run, types.permission, "api-invoke").inputs).toMatchObject({
        principal: "apigateway.amazonaws.com",
        function: `cartwright-${expected.stack}-api`,
        sourceArn: expect.stringMatching(/^arn:aws:execute-api:.+\/\*\/\*$/),
      });
    });

    it("runs the sweeper on the stack's schedule, invoked only by its rule", () => {
      const rule = named(run, types.rule, "sweeper-schedule");
      expect(rule.inputs.scheduleExpression).toBe(expected.sweeperSchedule);
      expect(named(run, types.permission, "sweeper-invoke").inputs).toMatchObject({ principal: "events.amazonaws.com", sourceArn: expect.stringContaining(`rule/${rule.name}`) });
    });

    it("alarms on what the app answers (API Gateway 5xx, 4xx share) and on failures the functions log, where the stack asks", () => {
      const alarms = ofType(run, types.alarm);
      const api5xx = alarms.find((a) => a.name === "alarms-api5xx");
      if ((expected.alarms as ReadonlyArray<string>).includes("alarms-api5xx")) expect(api5xx?.inputs).toMatchObject({ namespace: "AWS/ApiGateway", metricName: "5xx", statistic: "Sum", threshold: 1 });
      const rate = alarms.find((a) => a.name === "alarms-api4xxRate");
      if (rate) expect((rate.inputs.metricQueries as Array<{ expression?: string }>).some((q) => q.expression?.includes("100 * errors / requests"))).toBe(true);
      const cache = alarms.find((a) => a.name === "alarms-codeCacheRejected");
      if (cache) expect((cache.inputs.metricQueries as Array<{ expression?: string }>).map((q) => q.expression).filter(Boolean)).toEqual(["IF(cold >= 3, 100 * rejected / cold, 0)"]);
      const filters = ofType(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
      const reported = alarms.filter((a) => a.name.startsWith("alarms-reportedFailures-"));
      expect(filters).toHaveLength(reported.length);
      for (const f of filters) {
        expect(f.inputs.pattern).toBe('{ $.level = "error" || $.level = "fatal" }');
        expect(String(f.inputs.logGroupName)).toMatch(new RegExp(`^/aws/lambda/cartwright-${expected.stack}-`));
      }
    });

    it("has exactly the stack's alarms, emailing through one topic only when there are any", () => {
      expect(ofType(run, types.alarm).map((a) => a.name).sort()).toEqual([...expected.alarms]);
      expect(ofType(run, types.topic)).toHaveLength(expected.alarms.length === 0 ? 0 : 1);
      for (const alarm of ofType(run, types.alarm)) expect(alarm.inputs.alarmActions).toEqual([expect.stringContaining(":sns:")]);
    });

    it("sets a monthly cost budget that emails at 80 % and 100 % of actual spend", () => {
      const budget = named(run, types.budget, "budget-monthly").inputs;
      expect(budget).toMatchObject({ budgetType: "COST", timeUnit: "MONTHLY", limitAmount: expected.budgetUsd, limitUnit: "USD" });
      const notifications = budget.notifications as Array<Record<string, unknown>>;
      expect(notifications.map((n) => [n.notificationType, n.threshold, n.thresholdType])).toEqual([
        ["ACTUAL", 80, "PERCENTAGE"],
        ["ACTUAL", 100, "PERCENTAGE"],
      ]);
    });

    it("creates no NAT gateway or elastic IP (invariant: nothing bills by the hour for networking)", () => {
      expect(run.resources.filter((r) => /natGateway|\/eip:/i.test(r.type))).toEqual([]);
      for (const vpc of ofType(run, types.vpc)) expect(vpc.inputs.natGateways).toEqual({ strategy: "None" });
      expect(ofType(run, types.vpc)).toHaveLength(0);
    });

    it("publishes the API URL, table name, function name, log group, budget name, bus, user pool and media bucket and CDN", () => {
      expect(run.outputs).toEqual({
        apiUrl: expect.stringMatching(/^https:\/\//),
        tableName: `cartwright-${expected.stack}`,
        functionName: `cartwright-${expected.stack}-api`,
        logGroup: `/aws/lambda/cartwright-${expected.stack}-api`,
        budgetName: `cartwright-${expected.stack}-monthly`,
        eventBusName: `cartwright-${expected.stack}`,
        userPoolId: "identity-pool-id",
        userPoolClientId: "identity-client-id",
        mediaBucket: `cartwright-${expected.stack}-media-123456789012`,
        mediaBaseUrl: "https://media-cdn-id.cloudfront.net",
      });
    });
  });
}
