/**
 * Every deployed function's outbound calls, in one place: what its code calls, over which network, with which
 * IAM actions. `tests/infra/reachability.test.ts` checks, for every stack, that each call has a route from
 * where the function runs (its VPC, if any) and a permission on its role. Calls Lambda makes on the function's
 * behalf (polling its queue or stream, writing its logs' destination) are not the function's code: not here.
 */
import {
  apiDynamoActions,
  emailConsumerDynamoActions,
  fulfilmentConsumerDynamoActions,
  mediaSweeperDynamoActions,
  mediaValidatorDynamoActions,
  sweeperDynamoActions,
} from "../adapters/dynamodb/permissions.js";

export type OutboundCall = (
  /** An AWS API, reached at `<service>.<region>.amazonaws.com`, or through a VPC endpoint `com.amazonaws.<region>.<service>`. */
  | {
      readonly kind: "aws";
      readonly service: string;
      readonly actions: ReadonlyArray<string>;
      readonly why: string;
      readonly viaLambda?: true;
      /** Made by a client with a request this function signed (a presigned form): the role needs the action, the function no route. */
      readonly presigned?: true;
    }
  /** A host on the internet: from a VPC only through a NAT gateway. */
  | { readonly kind: "internet"; readonly host: string; readonly why: string }
) & {
  /** Made only when the function's environment sets this variable (a stack without Stripe's keys never calls Stripe). */
  readonly onlyWith?: string;
};

// Lambda ships stdout to the log group with the function's role, outside the function's network.
const logs: OutboundCall = { kind: "aws", service: "logs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], why: "its own log group", viaLambda: true };
// A SecureString under the stack's key: SSM decrypts with KMS as the caller, so the key policy must name the role.
const secrets = (why: string, onlyWith?: string): OutboundCall => ({ kind: "aws", service: "ssm", actions: ["ssm:GetParameter"], why, ...(onlyWith ? { onlyWith } : {}) });
const stripe = (why: string): OutboundCall => ({ kind: "internet", host: "api.stripe.com", why, onlyWith: "STRIPE_PARAMETER" });

/** Keyed by the function's component name (`<name>-function` in the program). */
export const outboundCalls = {
  api: [
    { kind: "aws", service: "dynamodb", actions: apiDynamoActions, why: "the store" },
    secrets("token signing keys, Stripe's keys"),
    stripe("payments: create and read PaymentIntents"),
    // GetUser is authorised by the user's access token, and the JWKS is public: no IAM action to grant.
    { kind: "aws", service: "cognito-idp", actions: [], why: "the user pool's JWKS (once per cold start), GetUser for a new customer's profile", onlyWith: "COGNITO_USER_POOL_ID" },
    // Signed locally (no call); S3 authorises each upload as the API's role: s3:PutObject on incoming/* only.
    { kind: "aws", service: "s3", actions: ["s3:PutObject"], why: "presigned POST forms an admin's browser uploads with", presigned: true, onlyWith: "MEDIA_BUCKET" },
    logs,
  ],
  sweeper: [
    { kind: "aws", service: "dynamodb", actions: sweeperDynamoActions, why: "releases holds, cancels unpaid orders" },
    secrets("Stripe's keys", "STRIPE_PARAMETER"),
    stripe("cancels unpaid orders' payments, refunds committed cancellations"),
    logs,
  ],
  "media-validator": [
    { kind: "aws", service: "dynamodb", actions: mediaValidatorDynamoActions, why: "the upload's intent, the product's images, the settlement and its event" },
    { kind: "aws", service: "s3", actions: ["s3:GetObject", "s3:DeleteObject", "s3:PutObject"], why: "reads and deletes the upload (incoming/), writes the variants (images/)" },
    logs,
  ],
  "media-sweeper": [
    { kind: "aws", service: "dynamodb", actions: mediaSweeperDynamoActions, why: "expired uploads, archived products, the files products owe" },
    { kind: "aws", service: "s3", actions: ["s3:ListBucket", "s3:DeleteObject"], why: "lists and deletes owed images' folders (images/)" },
    logs,
  ],
  "events-relay": [
    { kind: "aws", service: "events", actions: ["events:PutEvents"], why: "publishes the outbox to the stack's bus" },
    logs,
  ],
  email: [
    { kind: "aws", service: "dynamodb", actions: emailConsumerDynamoActions, why: "its receipts, the customer's USER# item (recipient)" },
    { kind: "aws", service: "ses", actions: ["ses:SendEmail"], why: "customer email" },
    logs,
  ],
  fulfilment: [
    { kind: "aws", service: "dynamodb", actions: fulfilmentConsumerDynamoActions, why: "its receipts" },
    secrets("partners' webhook secrets", "WEBHOOK_SECRETS_PARAMETER"),
    { kind: "internet", host: "partners' webhook URLs (cartwright:events.webhooks)", why: "signed webhooks", onlyWith: "WEBHOOK_SECRETS_PARAMETER" },
    logs,
  ],
} as const satisfies Record<string, ReadonlyArray<OutboundCall>>;

export type FunctionKey = keyof typeof outboundCalls;
