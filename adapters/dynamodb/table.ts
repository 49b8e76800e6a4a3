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
  /** Every key attribute of the table and its indexes: strings, except the numeric `available` (low-stock sort key). */
  readonly attributes: ReadonlyArray<{ readonly name: string; readonly type: "S" | "N" }>;
  readonly globalSecondaryIndexes: ReadonlyArray<IndexDefinition>;
  /** Epoch seconds; DynamoDB deletes items (idempotency records) past it. */
  readonly ttlAttribute: string;
  /** The stream the relay reads: new images of every write (it keeps the outbox inserts). */
  readonly streamViewType: "NEW_IMAGE";
}

const strings = ["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "GSI3PK", "GSI3SK", "GSI4PK"];

export const tableDefinition: TableDefinition = {
  partitionKey: "PK",
  sortKey: "SK",
  attributes: [...strings.map((name) => ({ name, type: "S" as const })), { name: "available", type: "N" as const }],
  globalSecondaryIndexes: [
    {
      name: "GSI1",
      partitionKey: "GSI1PK",
      sortKey: "GSI1SK",
      serves: ["products by category, by name", "orders by customer, newest first"],
    },
    {
      name: "GSI2",
      partitionKey: "GSI2PK",
      sortKey: "GSI2SK",
      serves: ["unreleased holds of a product, soonest expiry first (lazy release; sparse)", "orders by status, newest first (admin; 4 shards)"],
    },
    {
      name: "GSI3",
      partitionKey: "GSI3PK",
      sortKey: "GSI3SK",
      serves: [
        "unreleased holds expiring before a time (sweeper; sparse; 4 shards)",
        "all products, by name (4 shards)",
        "products owing image files, longest owed first; pending uploads by expiry (image sweep; sparse; 4 shards)",
      ],
    },
    {
      name: "GSI4",
      partitionKey: "GSI4PK",
      // Keyed on the counter itself: `SET available = available - :q` moves the product in this index, no read needed.
      sortKey: "available",
      serves: ["products by available units, scarcest first (low-stock report; 4 shards)"],
    },
  ],
  ttlAttribute: "ttl",
  streamViewType: "NEW_IMAGE",
};

/** The table name for a stack; the local bootstrap uses `cartwright-local`. */
export const tableNameFor = (stack: string): string => `cartwright-${stack}`;
