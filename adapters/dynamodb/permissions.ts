/**
 * The DynamoDB IAM actions each deployed function's adapter code uses. The
 * Pulumi Api and Sweeper components grant exactly these on the table and its
 * index ARNs. Every write goes through TransactWriteItems (or UpdateItem), which
 * is authorised per item: its Put, Update and Delete need PutItem, UpdateItem and
 * DeleteItem. Keep in step with adapters/dynamodb (README.md lists who calls what).
 */
export const apiDynamoActions = [
  // Consistent reads of one product, order, idempotency record, user or email guard.
  "dynamodb:GetItem",
  // Carts (table), listings, order history, lazy release of a product's holds (indexes).
  "dynamodb:Query",
  // Transaction Puts: cart lines, orders, idempotency records, users and email guards, new products.
  "dynamodb:PutItem",
  // Counter updates inside transactions, and the product patch (UpdateItem).
  "dynamodb:UpdateItem",
  // Transaction Deletes: removed cart lines and the holds a checkout consumes.
  "dynamodb:DeleteItem",
  // An admin's image remove or reorder checks, in its transaction, that the product still exists.
  "dynamodb:ConditionCheckItem",
] as const;

// Consumers keep their receipts (conditional UpdateItem only, adapters/dynamodb/receipts.ts); the email consumer
// also reads the customer's USER# item for the recipient. Which items: infra/iam.ts (dynamodb:LeadingKeys).
export const emailConsumerDynamoActions = ["dynamodb:GetItem", "dynamodb:UpdateItem"] as const;
export const fulfilmentConsumerDynamoActions = ["dynamodb:UpdateItem"] as const;
export const consumerDynamoActions = [...new Set([...emailConsumerDynamoActions, ...fulfilmentConsumerDynamoActions])] as const;

// The sweeper queries the expiring-holds index and applies each release: Put of the
// released line plus Update of the product's counters, in one transaction. It also
// queries placed orders past the payment window and cancels each: Put of the order,
// Updates of its products, Put of its outbox event, in one transaction.
export const sweeperDynamoActions = ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"] as const;

// The image validator reads the upload's intent and the product's images, and settles the intent with the images,
// the product check and the event in one transaction (adapters/dynamodb/image-store.ts).
export const mediaValidatorDynamoActions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:ConditionCheckItem"] as const;

// The image sweep queries pending uploads by expiry, products owing files and archived products (GSI3), reads each
// product's images, and writes them back (with the product check, and an expiry's intent and event) in one transaction.
export const mediaSweeperDynamoActions = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:ConditionCheckItem"] as const;

/**
 * Which items each consumer may touch, by partition key (IAM's dynamodb:LeadingKeys, wildcards allowed): its own
 * receipts (`RECEIPT#<consumer>#…`), and for the email consumer, reading customers' `USER#` items (the recipient).
 * tests/infra/events.test.ts holds these to the keys the adapters really write and read.
 */
export const consumerTableItems = {
  email: [
    { actions: ["dynamodb:UpdateItem"], leadingKeys: ["RECEIPT#email#*"] },
    { actions: ["dynamodb:GetItem"], leadingKeys: ["USER#*"] },
  ],
  fulfilment: [{ actions: ["dynamodb:UpdateItem"], leadingKeys: ["RECEIPT#fulfilment#*"] }],
} as const;
