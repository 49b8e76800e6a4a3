/** API Gateway HTTP API (payload format 2.0) events and a Lambda context, as the nodejs22.x runtime passes them. */
export interface HttpApiEvent {
  readonly version: "2.0";
  readonly routeKey: "$default";
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly requestContext: {
    readonly accountId: string;
    readonly apiId: string;
    readonly domainName: string;
    readonly http: { readonly method: string; readonly path: string; readonly protocol: string; readonly sourceIp: string; readonly userAgent: string };
    readonly requestId: string;
    readonly routeKey: "$default";
    readonly stage: "$default";
    readonly time: string;
    readonly timeEpoch: number;
  };
  readonly body?: string;
  readonly isBase64Encoded: boolean;
}

export interface EventOptions {
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** A raw body string, sent as is (malformed JSON and the like). */
  readonly rawBody?: string;
  readonly sourceIp?: string;
}

let sequence = 0;

export const httpApiEvent = (method: string, pathAndQuery: string, options: EventOptions = {}): HttpApiEvent => {
  const [path = "/", query = ""] = pathAndQuery.split("?", 2);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const params = new URLSearchParams(query);
  const requestId = `req-${++sequence}`;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: query,
    headers: {
      host: "abc123.execute-api.eu-west-1.amazonaws.com",
      "user-agent": "vitest",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    },
    ...(query ? { queryStringParameters: Object.fromEntries(params) } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: options.sourceIp ?? "203.0.113.7", userAgent: "vitest" },
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
};

export const lambdaContext = (functionName = "cartwright-test-api") => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
  memoryLimitInMB: "512",
  awsRequestId: `aws-${++sequence}`,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: "2026/01/01/[$LATEST]abc",
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

export interface HttpApiResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded?: boolean;
  readonly cookies?: string[];
}
