import { type RecordedResource, type StackRun, runStack, stackFileConfig } from "../../infra/mocks/run.js";

export const ofType = (run: StackRun, type: string): RecordedResource[] => run.resources.filter((r) => r.type === type);

export const named = (run: StackRun, type: string, name: string): RecordedResource => {
  const found = ofType(run, type).find((r) => r.name === name);
  if (found === undefined) throw new Error(`no ${type} named ${name} in stack ${run.stack}`);
  return found;
};

export const types = {
  table: "aws:dynamodb/table:Table",
  fn: "aws:lambda/function:Function",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  stage: "aws:apigatewayv2/stage:Stage",
  integration: "aws:apigatewayv2/integration:Integration",
  route: "aws:apigatewayv2/route:Route",
  httpApi: "aws:apigatewayv2/api:Api",
  permission: "aws:lambda/permission:Permission",
  rule: "aws:cloudwatch/eventRule:EventRule",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topic: "aws:sns/topic:Topic",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  budget: "aws:budgets/budget:Budget",
  target: "aws:appautoscaling/target:Target",
  policy: "aws:appautoscaling/policy:Policy",
  vpc: "awsx:ec2:Vpc",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  bus: "aws:cloudwatch/eventBus:EventBus",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  identity: "aws:sesv2/emailIdentity:EmailIdentity",
} as const;

export interface Statement {
  readonly role: string;
  readonly Sid?: string;
  readonly Action: ReadonlyArray<string>;
  readonly Resource: ReadonlyArray<string>;
  readonly Condition?: Record<string, Record<string, ReadonlyArray<string>>>;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);

/** Every statement of every inline role policy, with the policy's resource name. */
export const statements = (run: StackRun): Statement[] =>
  ofType(run, types.rolePolicy).flatMap((policy) => {
    const document = JSON.parse(String(policy.inputs.policy)) as { Statement: Array<Record<string, unknown>> };
    return document.Statement.map((s) => ({
      role: policy.name,
      ...(typeof s.Sid === "string" ? { Sid: s.Sid } : {}),
      Action: list(s.Action),
      Resource: list(s.Resource),
      ...(s.Condition === undefined ? {} : { Condition: s.Condition as Record<string, Record<string, ReadonlyArray<string>>> }),
    }));
  });

export const env = (fn: RecordedResource): Record<string, string> =>
  ((fn.inputs.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {});

/** Prod with Stripe's keys set, as a real prod takes payments (the committed stack files hold no secrets). */
export const prodWithStripe = async (): Promise<StackRun> => {
  const file = await stackFileConfig("prod");
  const payments = { ...JSON.parse(file["cartwright:payments"]!), publishableKey: "pk_live_mock" };
  return runStack("prod", { config: { ...file, "cartwright:payments": JSON.stringify(payments), "cartwright:stripeSecretKey": "sk_live_mock", "cartwright:stripeWebhookSecret": "whsec_mock" } });
};
