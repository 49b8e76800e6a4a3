import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type TableDefinition, tableDefinition } from "../adapters/dynamodb/table.js";
import type { DatabaseSizing } from "./config.js";

export interface DatabaseArgs {
  /** Physical table name (`tableNameFor(stack)`). */
  tableName: pulumi.Input<string>;
  /** Billing, capacity, autoscaling and protection (plain: they decide which resources exist). */
  sizing: DatabaseSizing;
  /** Keys and indexes; defaults to the adapter's `tableDefinition`, the single source of truth. */
  definition?: TableDefinition;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

type Autoscaling = NonNullable<Extract<DatabaseSizing, { billingMode: "PROVISIONED" }>["autoscaling"]>;

/** Cartwright's single DynamoDB table, built from the adapter's definition. */
export class Database extends pulumi.ComponentResource {
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  /** The table's stream (new images), which the relay reads. */
  readonly streamArn: pulumi.Output<string>;
  readonly indexNames: ReadonlyArray<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Database", name, {}, opts);
    const definition = args.definition ?? tableDefinition;
    const table = singleTable(this, name, args, definition);
    if (args.sizing.billingMode === "PROVISIONED" && args.sizing.autoscaling !== undefined) {
      capacityAutoscaling(this, name, args, table, definition, args.sizing.autoscaling);
    }
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.streamArn = table.streamArn;
    this.indexNames = definition.globalSecondaryIndexes.map((index) => index.name);
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn, streamArn: this.streamArn });
  }
}

const capacityOf = (sizing: DatabaseSizing) =>
  sizing.billingMode === "PROVISIONED" ? { readCapacity: sizing.readCapacity, writeCapacity: sizing.writeCapacity } : {};

// Autoscaling owns the capacity numbers once it is on; Pulumi must not reset them on every `up`.
const autoscaledCapacity = [
  "readCapacity",
  "writeCapacity",
  "globalSecondaryIndexes[*].readCapacity",
  "globalSecondaryIndexes[*].writeCapacity",
];

const singleTable = (parent: pulumi.Resource, name: string, args: DatabaseArgs, definition: TableDefinition) => {
  const { sizing } = args;
  const autoscaled = sizing.billingMode === "PROVISIONED" && sizing.autoscaling !== undefined;
  return new aws.dynamodb.Table(
    `${name}-table`,
    {
      name: args.tableName,
      billingMode: sizing.billingMode,
      hashKey: definition.partitionKey,
      rangeKey: definition.sortKey,
      attributes: definition.attributes.map(({ name, type }) => ({ name, type })),
      globalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
        name: index.name,
        keySchemas: [
          { attributeName: index.partitionKey, keyType: "HASH" },
          { attributeName: index.sortKey, keyType: "RANGE" },
        ],
        projectionType: "ALL",
        ...capacityOf(sizing),
      })),
      ttl: { attributeName: definition.ttlAttribute, enabled: true },
      streamEnabled: true,
      streamViewType: definition.streamViewType,
      pointInTimeRecovery: { enabled: sizing.pointInTimeRecovery },
      deletionProtectionEnabled: sizing.deletionProtection,
      ...capacityOf(sizing),
      tags: args.tags,
    },
    { parent, protect: sizing.protect, ignoreChanges: autoscaled ? autoscaledCapacity : [] },
  );
};

const dimensions = [
  { suffix: "read", unit: "ReadCapacityUnits", metric: "DynamoDBReadCapacityUtilization" },
  { suffix: "write", unit: "WriteCapacityUnits", metric: "DynamoDBWriteCapacityUtilization" },
] as const;

/** A target and a target-tracking policy for read and write, on the table and on every index. */
const capacityAutoscaling = (
  parent: pulumi.Resource,
  name: string,
  args: DatabaseArgs,
  table: aws.dynamodb.Table,
  definition: TableDefinition,
  autoscaling: Autoscaling,
) => {
  const scalables = [
    { label: "table", kind: "table", resourceId: pulumi.interpolate`table/${table.name}` },
    ...definition.globalSecondaryIndexes.map((index) => ({
      label: index.name.toLowerCase(),
      kind: "index",
      resourceId: pulumi.interpolate`table/${table.name}/index/${index.name}`,
    })),
  ];
  for (const scalable of scalables) {
    for (const dimension of dimensions) {
      const target = new aws.appautoscaling.Target(
        `${name}-${scalable.label}-${dimension.suffix}-target`,
        {
          serviceNamespace: "dynamodb",
          resourceId: scalable.resourceId,
          scalableDimension: `dynamodb:${scalable.kind}:${dimension.unit}`,
          minCapacity: autoscaling.min,
          maxCapacity: autoscaling.max,
          tags: args.tags,
        },
        { parent },
      );
      new aws.appautoscaling.Policy(
        `${name}-${scalable.label}-${dimension.suffix}-policy`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          resourceId: target.resourceId,
          scalableDimension: target.scalableDimension,
          targetTrackingScalingPolicyConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType: dimension.metric },
            targetValue: autoscaling.targetUtilizationPercent,
          },
        },
        { parent },
      );
    }
  }
};
