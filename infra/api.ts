import * as pulumi from "@pulumi/pulumi";
import { apiDynamoActions } from "../adapters/dynamodb/permissions.js";
import { type PolicyStatement, parameterRead } from "./iam.js";
import { scopedFunction } from "./lambda.js";
import { accessLogGroup, allowInvokeFromApi, defaultRoute, defaultStage, httpApiWithCors, proxyIntegration } from "./httpApi.js";
import { bundles } from "./names.js";

export interface ApiArgs {
  /** Lambda function name; its log group is `/aws/lambda/<functionName>`. */
  functionName: pulumi.Input<string>;
  /** Built bundle directory holding `index.js`; defaults to `dist/lambda/api`. */
  bundleDir?: string;
  /** Lambda memory in MB. */
  memoryMb: pulumi.Input<number>;
  /** Lambda timeout; API Gateway gives up at 29 s anyway. */
  timeoutSeconds: pulumi.Input<number>;
  /** Reserved concurrency; leave unset where the account quota is small (sandboxes). */
  reservedConcurrency?: pulumi.Input<number>;
  /** Name and ARN of the table the function uses, and its index names (each granted by ARN). */
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  indexNames: ReadonlyArray<string>;
  /** Name of the SecureString parameter holding the signing keys (`/cartwright/<stack>/jwt-signing-keys`, infra/secrets.ts). */
  signingKeysParameterName: pulumi.Input<string>;
  /** ARNs of the secret parameters the function reads (signing keys, Stripe's keys): its only ssm:GetParameter grant. */
  secretParameterArns: ReadonlyArray<pulumi.Input<string>>;
  /** Login and register limits, kept in the table. */
  authLimits?: { perIp: { maxAttempts: number; windowSeconds: number }; perAccount: { maxAttempts: number; windowSeconds: number } };
  /** Payment settings (window, manual switch, Stripe keys): see stacks/index.ts. */
  paymentEnvironment?: Record<string, pulumi.Input<string>>;
  /** The user pool the API trusts (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID): ids, never a secret; empty for the built-in accounts. */
  identityEnvironment?: Record<string, pulumi.Input<string>>;
  /** Product image uploads: MEDIA_BUCKET, MEDIA_BASE_URL and the upload limits (adapters/media/settings.ts); none: uploads answer 503. */
  mediaEnvironment?: Record<string, pulumi.Input<string>>;
  /** The one S3 grant: s3:PutObject on the bucket's `incoming/*`, which S3 checks against each presigned upload. */
  mediaUploadGrant?: pulumi.Input<PolicyStatement>;
  /** Serve Swagger UI and /openapi.json (off unless true). */
  docs?: boolean;
  /** Units of one product a customer may hold at once; the app's default when absent. */
  maxUnitsPerProduct?: number;
  /** Placed, unpaid orders a customer may have at once; the app's default when absent. */
  maxUnpaidOrders?: number;
  /** Browser origins allowed by CORS (API Gateway and the app). */
  corsOrigins: pulumi.Input<pulumi.Input<string>[]>;
  /** How long a stock hold lasts before it can be released. */
  holdTtlSeconds: pulumi.Input<number>;
  /** Steady-state requests per second and burst for the `$default` stage. */
  throttleRatePerSecond: pulumi.Input<number>;
  throttleBurst: pulumi.Input<number>;
  /** Namespace of the metrics the function writes as EMF log lines (each cold start, and whether its code cache was used). */
  metricNamespace?: string;
  /** Retention for the function's and the access logs' groups. */
  logRetentionDays: pulumi.Input<number>;
  /** Names of the HTTP API and of its access log group. */
  httpApiName: pulumi.Input<string>;
  accessLogGroupName: pulumi.Input<string>;
  /** Application log level of the function (Lambda's logging controls; the code reads it back). */
  logLevel: pulumi.Input<string>;
  /** The stack's permissions boundary, carried by every role this component creates (infra/boundary.ts). */
  permissionsBoundary: pulumi.Input<string>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The HTTP API (API Gateway v2) in front of the Fastify Lambda, and that Lambda. */
export class Api extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly apiId: pulumi.Output<string>;
  readonly stageName: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  /** The function's role, which the secrets key's policy names as a reader. */
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Api", name, {}, opts);
    const fn = scopedFunction(this, name, {
      functionName: args.functionName,
      bundleDir: args.bundleDir ?? bundles.api,
      memoryMb: args.memoryMb,
      timeoutSeconds: args.timeoutSeconds,
      reservedConcurrency: args.reservedConcurrency,
      environment: { ...apiEnvironment(args), JWT_SECRET_PARAMETER: args.signingKeysParameterName },
      statements: pulumi
        .all([pulumi.all([...args.secretParameterArns]), pulumi.output(args.mediaUploadGrant)])
        .apply(([arns, upload]) => [parameterRead(arns), ...(upload === undefined ? [] : [upload as PolicyStatement])]),
      logRetentionDays: args.logRetentionDays,
    logLevel: args.logLevel,
      dynamoActions: apiDynamoActions,
      tableArn: args.tableArn,
      indexNames: args.indexNames,
      permissionsBoundary: args.permissionsBoundary,
      tags: args.tags,
    });
    const httpApi = httpApiWithCors(this, name, args);
    const integration = proxyIntegration(this, name, httpApi, fn.function);
    defaultRoute(this, name, httpApi, integration);
    const stage = defaultStage(this, name, args, httpApi, accessLogGroup(this, name, args));
    allowInvokeFromApi(this, name, httpApi, fn.function);
    this.url = httpApi.apiEndpoint;
    this.apiId = httpApi.id;
    this.stageName = stage.name;
    this.functionName = fn.function.name;
    this.roleArn = fn.role.arn;
    this.logGroupName = fn.logGroup.name;
    this.registerOutputs({ url: this.url, functionName: this.functionName, logGroupName: this.logGroupName });
  }
}

const apiEnvironment = (args: ApiArgs): Record<string, pulumi.Input<string>> => ({
  CARTWRIGHT_STORE: "dynamodb",
  TABLE_NAME: args.tableName,
  CORS_ORIGINS: pulumi.output(args.corsOrigins).apply((origins) => origins.join(",")),
  HOLD_TTL_SECONDS: pulumi.output(args.holdTtlSeconds).apply(String),
  ...args.paymentEnvironment,
  ...args.identityEnvironment,
  ...args.mediaEnvironment,
  ...(args.docs === true ? { API_DOCS: "true" } : {}),
  ...(args.metricNamespace === undefined ? {} : { METRICS_NAMESPACE: args.metricNamespace }),
  ...(args.maxUnitsPerProduct === undefined ? {} : { HOLD_MAX_UNITS_PER_PRODUCT: String(args.maxUnitsPerProduct) }),
  ...(args.maxUnpaidOrders === undefined ? {} : { MAX_UNPAID_ORDERS: String(args.maxUnpaidOrders) }),
  ...(args.authLimits === undefined
    ? {}
    : {
        AUTH_IP_MAX_ATTEMPTS: String(args.authLimits.perIp.maxAttempts),
        AUTH_IP_WINDOW_SECONDS: String(args.authLimits.perIp.windowSeconds),
        AUTH_ACCOUNT_MAX_ATTEMPTS: String(args.authLimits.perAccount.maxAttempts),
        AUTH_ACCOUNT_WINDOW_SECONDS: String(args.authLimits.perAccount.windowSeconds),
      }),
});
