/**
 * The DynamoDB IAM actions each deployed function's adapter code uses. The
 * Pulumi Api and Sweeper components grant exactly these on the table and its
 * index ARNs. (TransactWriteItems is authorised per item: Put/Update/Delete/
 * ConditionCheckItem.) Keep in step with adapters/dynamodb.
 */
export const apiDynamoActions = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
] as const;

export const sweeperDynamoActions = [
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:UpdateItem",
  "dynamodb:ConditionCheckItem",
] as const;
