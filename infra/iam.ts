/** IAM policy documents as plain data, so tests and plans can read exactly what is granted. */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: ReadonlyArray<string>;
  readonly Resource: ReadonlyArray<string>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, ReadonlyArray<string>>>>>;
}

export const policyDocument = (statements: ReadonlyArray<PolicyStatement>): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const lambdaAssumeRolePolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** Exactly the given actions on the table and each named index (no `index/*`). */
export const tableAccess = (
  actions: ReadonlyArray<string>,
  tableArn: string,
  indexNames: ReadonlyArray<string>,
): PolicyStatement => ({
  Sid: "TableAccess",
  Effect: "Allow",
  Action: [...actions],
  Resource: [tableArn, ...indexNames.map((index) => `${tableArn}/index/${index}`)],
});

/** Streams and events in the function's own log group; no logs:CreateLogGroup, so a deleted group stays deleted. */
export const ownLogGroupWrites = (logGroupArn: string): PolicyStatement => ({
  Sid: "OwnLogGroupWrites",
  Effect: "Allow",
  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
  Resource: [`${logGroupArn}:*`],
});

/** What the relay's event source mapping reads, on this table's streams only. */
export const tableStreamRead = (tableArn: string): PolicyStatement => ({
  Sid: "TableStreamRead",
  Effect: "Allow",
  Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
  Resource: [`${tableArn}/stream/*`],
});

/** Publishing to the stack's own bus. */
export const busPublish = (busArn: string): PolicyStatement => ({ Sid: "BusPublish", Effect: "Allow", Action: ["events:PutEvents"], Resource: [busArn] });

/** Lambda's event source mapping sends records it gives up on to this queue with the function's role. */
export const queueSend = (sid: string, queueArn: string): PolicyStatement => ({ Sid: sid, Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queueArn] });

/** What an SQS event source mapping needs on its queue. */
export const queueConsume = (queueArn: string): PolicyStatement => ({
  Sid: "QueueConsume",
  Effect: "Allow",
  Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
  Resource: [queueArn],
});

/** Sending as the stack's SES identity only (SES v2 SendEmail with raw content is authorised as both). */
export const emailSend = (identityArn: string): PolicyStatement => ({
  Sid: "EmailSend",
  Effect: "Allow",
  Action: ["ses:SendEmail", "ses:SendRawEmail"],
  Resource: [identityArn],
});

/** Reading the stack's SecureString parameters it needs (decrypted by SSM under the stack's key, whose policy names the role). */
export const parameterRead = (parameterArns: ReadonlyArray<string>): PolicyStatement => ({
  Sid: "ReadSecretParameters",
  Effect: "Allow",
  Action: ["ssm:GetParameter"],
  Resource: [...parameterArns],
});

/** Items of the table whose partition key matches one of `leadingKeys` (IAM wildcards), and no other item. */
export interface ItemAccess {
  readonly actions: ReadonlyArray<string>;
  readonly leadingKeys: ReadonlyArray<string>;
}

/** One statement per kind of item: the actions on the table only for items whose partition key matches (dynamodb:LeadingKeys). */
export const tableItemAccess = (tableArn: string, items: ReadonlyArray<ItemAccess>): PolicyStatement[] =>
  items.map((item, i) => ({
    Sid: `OwnItems${i}`,
    Effect: "Allow",
    Action: [...item.actions],
    Resource: [tableArn],
    Condition: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [...item.leadingKeys] } },
  }));
