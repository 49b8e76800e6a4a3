import { beforeAll, describe, expect, it } from "vitest";
import { apiDynamoActions, mediaSweeperDynamoActions, mediaValidatorDynamoActions, sweeperDynamoActions } from "../../adapters/dynamodb/permissions.js";
import { tableDefinition } from "../../adapters/dynamodb/table.js";
import { type StackRun, runStack } from "../../infra/mocks/run.js";
import { isTaggable } from "../../infra/plan/taggable.js";
import { named, ofType, statements, types } from "./helpers.js";

const stacks = [
  { stack: "dev", destroyable: true },
  { stack: "staging", destroyable: true },
  { stack: "prod", destroyable: false },
] as const;

for (const expected of stacks) {
  describe(`Stack ${expected.stack}`, () => {
    let run: StackRun;
    beforeAll(async () => {
      run = await runStack(expected.stack);
    });

    it("grants no `*` action and no `*` resource anywhere (invariant: least privilege)", () => {
      const all = statements(run);
      expect(all.length).toBeGreaterThan(0);
      for (const statement of all) expect(statement.Action.filter((a) => a === "*" || a.endsWith(":*"))).toEqual([]);
      const wildcard = all.filter((s) => s.Resource.includes("*"));
      expect(wildcard.map((s) => s.Action)).toEqual([]);
      expect(ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
      for (const role of ofType(run, types.role)) expect(role.inputs.managedPolicyArns).toBeUndefined();
    });

    it("grants each function exactly its adapter's DynamoDB actions on the table and each named index", () => {
      const tableArn = `arn:aws:dynamodb:us-east-1:123456789012:table/cartwright-${expected.stack}`;
      const resources = [tableArn, ...tableDefinition.globalSecondaryIndexes.map((i) => `${tableArn}/index/${i.name}`)];
      const byRole = (role: string) => statements(run).filter((s) => s.role === role);
      expect(byRole("api-table-access")).toEqual([{ role: "api-table-access", Sid: "TableAccess", Action: [...apiDynamoActions], Resource: resources }]);
      expect(byRole("sweeper-table-access")).toEqual([
        { role: "sweeper-table-access", Sid: "TableAccess", Action: [...sweeperDynamoActions], Resource: resources },
      ]);
      // The validator reads and writes items by key only: no index.
      expect(byRole("media-validator-table-access")).toEqual([{ role: "media-validator-table-access", Sid: "TableAccess", Action: [...mediaValidatorDynamoActions], Resource: [tableArn] }]);
      expect(byRole("media-sweeper-table-access")).toEqual([{ role: "media-sweeper-table-access", Sid: "TableAccess", Action: [...mediaSweeperDynamoActions], Resource: resources }]);
    });

    it("lets each function write only to its own log group and never create one (invariant: a destroyed log group stays destroyed)", () => {
      const all = statements(run);
      expect(all.flatMap((s) => s.Action).filter((a) => a === "logs:CreateLogGroup")).toEqual([]);
      for (const [component, fn] of [["api", "api"], ["sweeper", "sweeper"], ["events-relay", "relay"], ["email", "email"], ["fulfilment", "fulfilment"], ["media-validator", "media"], ["media-sweeper", "media-sweeper"]]) {
        const logs = all.filter((s) => s.role === `${component}-log-writes`);
        expect(logs).toEqual([
          {
            role: `${component}-log-writes`,
            Sid: "OwnLogGroupWrites",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/cartwright-${expected.stack}-${fn}:*`],
          },
        ]);
      }
    });

    it("tags every taggable resource with project, stack and owner", () => {
      const taggable = run.resources.filter((r) => isTaggable(r.type));
      expect(taggable.length).toBeGreaterThanOrEqual(10);
      for (const resource of taggable) {
        expect({ resource: resource.name, tags: resource.inputs.tags }).toEqual({
          resource: resource.name,
          tags: { project: "cartwright", stack: expected.stack, owner: "platform-team" },
        });
      }
    });

    it("builds the table from the adapter's tableDefinition (same keys, attributes, indexes and TTL)", () => {
      const table = named(run, types.table, "database-table").inputs;
      expect(table).toMatchObject({ name: `cartwright-${expected.stack}`, hashKey: tableDefinition.partitionKey, rangeKey: tableDefinition.sortKey });
      expect(table.attributes).toEqual(tableDefinition.attributes.map(({ name, type }) => ({ name, type })));
      expect(table.ttl).toEqual({ attributeName: tableDefinition.ttlAttribute, enabled: true });
      const indexes = (table.globalSecondaryIndexes as Array<{ name: string; keySchemas: unknown }>).map((i) => [i.name, i.keySchemas]);
      expect(indexes).toEqual(
        tableDefinition.globalSecondaryIndexes.map((i) => [
          i.name,
          [
            { attributeName: i.partitionKey, keyType: "HASH" },
            { attributeName: i.sortKey, keyType: "RANGE" },
          ],
        ]),
      );
    });

    it(expected.destroyable ? "has nothing that blocks `pulumi destroy` (no protect, retainOnDelete, deletion protection or skipDestroy)" : "blocks destroying the table (protect and deletion protection)", () => {
      const blockers = run.resources.filter(
        (r) => r.protect || r.retainOnDelete || r.inputs.deletionProtectionEnabled === true || r.inputs.skipDestroy === true,
      );
      expect(blockers.map((r) => r.name)).toEqual(expected.destroyable ? [] : ["database-table"]);
    });

    it("runs every function outside any VPC (the simplest topology that reaches Stripe, SES, EventBridge and partners; the same on every stack)", () => {
      for (const fn of ofType(run, types.fn)) expect({ fn: fn.name, vpcConfig: fn.inputs.vpcConfig }).toEqual({ fn: fn.name, vpcConfig: undefined });
      expect(ofType(run, types.vpc)).toEqual([]);
    });
  });
}
