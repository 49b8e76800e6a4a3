/** Deterministic fake provider state for the mocks: realistic ARNs, no random ids. */

export const mockAccount = "123456789012";

const arn = (region: string, service: string, resource: string) => `arn:aws:${service}:${region}:${mockAccount}:${resource}`;

type Inputs = Record<string, unknown>;
const str = (value: unknown, fallback: string) => (typeof value === "string" ? value : fallback);

const computed: Record<string, (name: string, inputs: Inputs, region: string) => Inputs> = {
  "aws:dynamodb/table:Table": (name, inputs, region) => {
    const tableArn = arn(region, "dynamodb", `table/${str(inputs.name, name)}`);
    return { arn: tableArn, ...(inputs.streamEnabled === true ? { streamArn: `${tableArn}/stream/2026-01-01T00:00:00.000` } : {}) };
  },
  "aws:cloudwatch/eventBus:EventBus": (name, inputs, region) => ({ name: str(inputs.name, name), arn: arn(region, "events", `event-bus/${str(inputs.name, name)}`) }),
  "aws:sqs/queue:Queue": (name, inputs, region) => ({
    name: str(inputs.name, name),
    arn: arn(region, "sqs", str(inputs.name, name)),
    url: `https://sqs.${region}.amazonaws.com/${mockAccount}/${str(inputs.name, name)}`,
  }),
  "aws:sesv2/emailIdentity:EmailIdentity": (name, inputs, region) => ({ arn: arn(region, "ses", `identity/${str(inputs.emailIdentity, name)}`) }),
  "aws:cloudwatch/logGroup:LogGroup": (name, inputs, region) => ({ arn: arn(region, "logs", `log-group:${str(inputs.name, name)}`) }),
  "aws:lambda/function:Function": (name, inputs, region) => {
    const fnArn = arn(region, "lambda", `function:${str(inputs.name, name)}`);
    return { arn: fnArn, invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fnArn}/invocations` };
  },
  "aws:ssm/parameter:Parameter": (name, inputs, region) => ({ arn: arn(region, "ssm", `parameter${str(inputs.name, `/${name}`)}`) }),
  "aws:iam/role:Role": (name) => ({ name, arn: `arn:aws:iam::${mockAccount}:role/${name}` }),
  "aws:apigatewayv2/api:Api": (name, _inputs, region) => ({
    apiEndpoint: `https://${name}-id.execute-api.${region}.amazonaws.com`,
    executionArn: arn(region, "execute-api", `${name}-id`),
  }),
  "aws:sns/topic:Topic": (name, inputs, region) => ({ arn: arn(region, "sns", str(inputs.name, name)) }),
  "aws:cloudwatch/eventRule:EventRule": (name, _inputs, region) => ({ name, arn: arn(region, "events", `rule/${name}`) }),
  "aws:cognito/userPool:UserPool": (name, _inputs, region) => ({ arn: arn(region, "cognito-idp", `userpool/${region}_${name}`) }),
  "aws:budgets/budget:Budget": (name, inputs) => ({ name: str(inputs.name, name) }),
  // S3 ARNs hold neither region nor account; the regional name is what CloudFront's origin points at.
  "aws:s3/bucket:Bucket": (name, inputs, region) => {
    const bucket = str(inputs.bucket, name);
    return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` };
  },
  // CloudFront is global: no region in its ARNs.
  "aws:cloudfront/distribution:Distribution": (name) => ({ arn: `arn:aws:cloudfront::${mockAccount}:distribution/${name}-id`, domainName: `${name}-id.cloudfront.net` }),
  "awsx:ec2:Vpc": (name) => ({ vpcId: `${name}-vpc-id`, isolatedSubnetIds: [`${name}-isolated-a`, `${name}-isolated-b`] }),
};

/** State a mocked provider returns: the inputs plus what AWS would compute. */
export const mockState = (type: string, name: string, inputs: Inputs, region: string): Inputs => ({
  ...inputs,
  ...(computed[type]?.(name, inputs, region) ?? { arn: arn(region, "mock", `${type}/${name}`) }),
});

/** Results of provider functions (invokes) the program calls. */
export const mockCall = (token: string, inputs: Inputs): Inputs =>
  token === "aws:index/getCallerIdentity:getCallerIdentity"
    ? { accountId: mockAccount, arn: `arn:aws:sts::${mockAccount}:assumed-role/cartwright-deploy/mock`, userId: "mock", id: mockAccount }
    : inputs;
