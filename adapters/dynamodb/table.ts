/**
 * The one definition of Cartwright's DynamoDB table. The local bootstrap
 * (DynamoDB Local) and the Pulumi Database component both build from it, so
 * they cannot drift. Item layouts and access patterns: adapters/dynamodb/README.md.
 */

export type KeyType = "HASH" | "RANGE";

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** What a query on this index serves (documentation, also shown in plans). */
  readonly serves: ReadonlyArray<string>;
}

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Every key attribute of the table and its indexes is a string. */
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly type: "S" }>;
  readonly globalSecondaryIndexes: ReadonlyArray<IndexDefinition>;
  /** Epoch seconds; DynamoDB deletes items (idempotency records) past it. */
  readonly ttlAttribute: string;
}

export const tableDefinition: TableDefinition = {
  partitionKey: "PK",
  sortKey: "SK",
  attributes: ["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK"].map((name) => ({
    name,
    type: "S" as const,
  })),
  globalSecondaryIndexes: [
    {
      name: "GSI1",
      partitionKey: "GSI1PK",
      sortKey: "GSI1SK",
      serves: ["products by category", "orders by customer, newest first", "user by email"],
    },
    {
      name: "GSI2",
      partitionKey: "GSI2PK",
      sortKey: "GSI2SK",
      serves: ["unreleased holds by product (lazy release)", "orders by status (admin)", "inventory report"],
    },
    {
      name: "GSI3",
      partitionKey: "GSI3PK",
      sortKey: "GSI3SK",
      serves: ["unreleased holds expiring before a time (sweeper)"],
    },
  ],
  ttlAttribute: "ttl",
};

/** The table name for a stack; the local bootstrap uses `cartwright-local`. */
export const tableNameFor = (stack: string): string => `cartwright-${stack}`;
