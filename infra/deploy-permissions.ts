/**
 * What a deploy role needs, per resource type the program creates: create, read, update, tag and delete
 * (destroy must leave nothing behind). `npm run deploy-policy -- --stack <stack>` prints the policy for the
 * types in that stack's plan; a test fails when the program creates a type this table does not cover.
 * infra/deploy-policy.ts turns these into the policy, on the stack's own names where the service allows it.
 */
export const deployActionsByType: Readonly<Record<string, ReadonlyArray<string>>> = {
  "aws:dynamodb/table:Table": [
    "dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable",
    "dynamodb:DescribeContinuousBackups", "dynamodb:UpdateContinuousBackups", "dynamodb:DescribeTimeToLive", "dynamodb:UpdateTimeToLive",
    "dynamodb:TagResource", "dynamodb:UntagResource", "dynamodb:ListTagsOfResource", "dynamodb:DescribeKinesisStreamingDestination",
  ],
  "aws:lambda/function:Function": [
    "lambda:CreateFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
    "lambda:DeleteFunction", "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency", "lambda:GetFunctionCodeSigningConfig",
    "lambda:ListVersionsByFunction", "lambda:TagResource", "lambda:UntagResource", "lambda:ListTags", "iam:PassRole",
    // The deploy's training invocation of the API (its code cache): no more than UpdateFunctionCode already allows.
    "lambda:InvokeFunction",
  ],
  "aws:lambda/permission:Permission": ["lambda:AddPermission", "lambda:RemovePermission", "lambda:GetPolicy"],
  "aws:lambda/eventSourceMapping:EventSourceMapping": [
    "lambda:CreateEventSourceMapping", "lambda:GetEventSourceMapping", "lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping",
    "lambda:ListEventSourceMappings", "dynamodb:DescribeStream", "dynamodb:ListStreams",
  ],
  "aws:iam/role:Role": [
    "iam:CreateRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:DeleteRole", "iam:TagRole", "iam:UntagRole",
    "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:PutRolePermissionsBoundary",
  ],
  "aws:iam/rolePolicy:RolePolicy": ["iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy"],
  "aws:cloudwatch/logGroup:LogGroup": [
    "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:DescribeLogGroups",
    "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource", "logs:TagLogGroup", "logs:ListTagsLogGroup",
  ],
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": ["logs:PutMetricFilter", "logs:DescribeMetricFilters", "logs:DeleteMetricFilter"],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [
    "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource",
  ],
  "aws:cloudwatch/eventRule:EventRule": ["events:PutRule", "events:DescribeRule", "events:DeleteRule", "events:TagResource", "events:UntagResource", "events:ListTagsForResource"],
  "aws:cloudwatch/eventTarget:EventTarget": ["events:PutTargets", "events:ListTargetsByRule", "events:RemoveTargets"],
  "aws:cloudwatch/eventBus:EventBus": ["events:CreateEventBus", "events:DescribeEventBus", "events:DeleteEventBus", "events:TagResource", "events:UntagResource", "events:ListTagsForResource"],
  "aws:sqs/queue:Queue": ["sqs:CreateQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:GetQueueUrl", "sqs:DeleteQueue", "sqs:TagQueue", "sqs:UntagQueue", "sqs:ListQueueTags"],
  "aws:sqs/queuePolicy:QueuePolicy": ["sqs:SetQueueAttributes", "sqs:GetQueueAttributes"],
  "aws:sns/topic:Topic": ["sns:CreateTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:DeleteTopic", "sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource"],
  "aws:sns/topicSubscription:TopicSubscription": ["sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes"],
  "aws:apigatewayv2/api:Api": ["apigateway:POST", "apigateway:GET", "apigateway:PATCH", "apigateway:PUT", "apigateway:DELETE", "apigateway:TagResource", "apigateway:UntagResource"],
  "aws:apigatewayv2/integration:Integration": ["apigateway:POST", "apigateway:GET", "apigateway:PATCH", "apigateway:DELETE"],
  "aws:apigatewayv2/route:Route": ["apigateway:POST", "apigateway:GET", "apigateway:PATCH", "apigateway:DELETE"],
  // Access logging to a log group goes through CloudWatch Logs' vended-log delivery.
  "aws:apigatewayv2/stage:Stage": [
    "apigateway:POST", "apigateway:GET", "apigateway:PATCH", "apigateway:DELETE",
    "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
    "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
  ],
  "aws:appautoscaling/target:Target": [
    "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:TagResource", "application-autoscaling:ListTagsForResource",
    // The first scalable DynamoDB target in an account creates Application Auto Scaling's service-linked role.
    "iam:CreateServiceLinkedRole",
  ],
  "aws:appautoscaling/policy:Policy": ["application-autoscaling:PutScalingPolicy", "application-autoscaling:DescribeScalingPolicies", "application-autoscaling:DeleteScalingPolicy", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms"],
  "aws:budgets/budget:Budget": ["budgets:ModifyBudget", "budgets:ViewBudget", "budgets:TagResource", "budgets:ListTagsForResource"],
  "aws:sesv2/emailIdentity:EmailIdentity": ["ses:CreateEmailIdentity", "ses:GetEmailIdentity", "ses:DeleteEmailIdentity", "ses:TagResource", "ses:UntagResource", "ses:ListTagsForResource"],
  "aws:ssm/parameter:Parameter": ["ssm:PutParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeParameters", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource"],
  // The stack's application secrets key (infra/secrets.ts). Only creating it (tagged) is the IAM policy's: its own
  // key policy names the deploy role as administrator, which authorises everything else on that key and no other.
  "aws:kms/key:Key": ["kms:CreateKey", "kms:TagResource"],
  // The stack's user pool (infra/identity.ts): pool ids are AWS's, so the policy scopes these by the pool's stack tag.
  "aws:cognito/userPool:UserPool": [
    "cognito-idp:CreateUserPool", "cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool", "cognito-idp:DeleteUserPool", "cognito-idp:GetUserPoolMfaConfig",
    "cognito-idp:SetUserPoolMfaConfig", "cognito-idp:TagResource", "cognito-idp:UntagResource", "cognito-idp:ListTagsForResource",
  ],
  "aws:cognito/userPoolClient:UserPoolClient": ["cognito-idp:CreateUserPoolClient", "cognito-idp:DescribeUserPoolClient", "cognito-idp:UpdateUserPoolClient", "cognito-idp:DeleteUserPoolClient"],
  "aws:cognito/userGroup:UserGroup": ["cognito-idp:CreateGroup", "cognito-idp:GetGroup", "cognito-idp:UpdateGroup", "cognito-idp:DeleteGroup"],
  "aws:cognito/userPoolDomain:UserPoolDomain": ["cognito-idp:CreateUserPoolDomain", "cognito-idp:DescribeUserPoolDomain", "cognito-idp:UpdateUserPoolDomain", "cognito-idp:DeleteUserPoolDomain"],
  "aws:cognito/managedLoginBranding:ManagedLoginBranding": [
    "cognito-idp:CreateManagedLoginBranding", "cognito-idp:DescribeManagedLoginBranding", "cognito-idp:UpdateManagedLoginBranding", "cognito-idp:DeleteManagedLoginBranding",
  ],
  // The media bucket (infra/media.ts). HeadBucket is s3:ListBucket; forceDestroy empties it (ListBucketVersions, deletes).
  "aws:s3/bucket:Bucket": [
    "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetBucketLocation",
    "s3:GetBucketTagging", "s3:PutBucketTagging", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite", "s3:GetBucketVersioning",
    "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment", "s3:GetBucketLogging", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
    "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy",
  ],
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": ["s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock"],
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ["s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls"],
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": ["s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration"],
  "aws:s3/bucketNotification:BucketNotification": ["s3:PutBucketNotification", "s3:GetBucketNotification"],
  "aws:s3/bucketPolicy:BucketPolicy": ["s3:PutBucketPolicy", "s3:GetBucketPolicy", "s3:DeleteBucketPolicy"],
  // Distribution ids are AWS's: the policy scopes them by the distribution's stack tag (infra/deploy-policy.ts).
  "aws:cloudfront/distribution:Distribution": [
    "cloudfront:CreateDistribution", "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution",
    "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:ListTagsForResource",
  ],
  "aws:cloudfront/originAccessControl:OriginAccessControl": [
    "cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl", "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl",
  ],
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": [
    "lambda:PutFunctionEventInvokeConfig", "lambda:GetFunctionEventInvokeConfig", "lambda:UpdateFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig",
  ],
  "aws:kms/alias:Alias": ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias", "kms:ListAliases"],
};

/** Component resources are Pulumi's own grouping: nothing in AWS. */
export const isComponentType = (type: string): boolean => type.startsWith("cartwright:") || type.startsWith("pulumi:");

/** The deploy role's actions for a set of resource types (sorted, deduplicated); unknown types are listed apart. */
export const deployActionsFor = (types: Iterable<string>): { readonly actions: ReadonlyArray<string>; readonly unknown: ReadonlyArray<string> } => {
  const actions = new Set<string>(["sts:GetCallerIdentity"]);
  const unknown: Array<string> = [];
  for (const type of new Set(types)) {
    if (isComponentType(type)) continue;
    const needed = deployActionsByType[type];
    if (!needed) unknown.push(type);
    else for (const a of needed) actions.add(a);
  }
  return { actions: [...actions].sort(), unknown: unknown.sort() };
};
