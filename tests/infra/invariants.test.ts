import { beforeAll, describe, expect, it } from "vitest";
import { apiDynamoActions, sweeperDynamoActions } from "../../adapters/dynamodb/permissions.js";
import { tableDefinition } from "../../adapters/dynamodb/table.js";
import { vpcNetworkInterfaces } from "../../infra/iam.js";
import { type StackRun, runStack } from "../../infra/mocks/run.js";
import { isTaggable } from "../../infra/plan/taggable.js";
import { named, ofType, statements, types } from "./helpers.js";

const stacks = [
  { stack: "dev", network: false, destroyable: true },
  { stack: "staging", network: false, destroyable: true },
  { stack: "prod", network: true, destroyable: false },
] as const;

for (const expected of stacks) {
  describe(`Stack ${expected.stack}`, () => {
    let run: StackRun;
    beforeAll(async () => {
      run = await runStack(expected.stack);
    });

    it("grants no `*` action anywhere, and `*` resources only for the ENI calls EC2 cannot scope (invariant: least privilege)", () => {
      const all = statements(run);
      expect(all.length).toBeGreaterThan(0);
      for (const statement of all) expect(statement.Action.filter((a) => a === "*" || a.endsWith(":*"))).toEqual([]);
      const wildcard = all.filter((s) => s.Resource.includes("*"));
      expect(wildcard.map((s) => s.Action)).toEqual(expected.network ? [vpcNetworkInterfaces.Action, vpcNetworkInterfaces.Action] : []);
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
    });

    it("lets each function write only to its own log group and never create one (invariant: a destroyed log group stays destroyed)", () => {
      const all = statements(run);
      expect(all.flatMap((s) => s.Action).filter((a) => a === "logs:CreateLogGroup")).toEqual([]);
      for (const [component, fn] of [["api", "api"], ["sweeper", "sweeper"], ["events-relay", "relay"], ["email", "email"], ["fulfilment", "fulfilment"]]) {
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

    it(
      expected.network
        ? "runs the API and the sweeper in isolated subnets of a NAT-free VPC with a DynamoDB gateway endpoint, and the event functions (which call EventBridge, SES and partners) outside it"
        : "runs the functions outside any VPC",
      () => {
      const inVpc = ["api-function", "sweeper-function"];
      for (const fn of ofType(run, types.fn)) {
        expect({ fn: fn.name, inVpc: fn.inputs.vpcConfig !== undefined }).toEqual({ fn: fn.name, inVpc: expected.network && inVpc.includes(fn.name) });
      }
      if (!expected.network) return;
      const vpc = named(run, types.vpc, "network-vpc").inputs;
      expect(vpc).toMatchObject({ natGateways: { strategy: "None" }, subnetSpecs: [{ type: "Isolated" }], vpcEndpointStrategy: "Auto" });
      expect(vpc.vpcEndpointSpecs).toEqual([expect.objectContaining({ serviceName: "com.amazonaws.us-east-1.dynamodb", vpcEndpointType: "Gateway" })]);
      const securityGroup = named(run, types.securityGroup, "network-functions").inputs;
      // HTTPS to DynamoDB (its prefix list) and to the VPC's own interface endpoint (SSM, for the signing keys): nothing else.
      expect(securityGroup.egress).toEqual([
        { protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: ["pl-dynamodb"] },
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.40.0.0/16"] },
      ]);
      const endpoints = named(run, types.securityGroup, "network-endpoints").inputs;
      expect(endpoints.ingress).toEqual([{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: ["network-functions-id"] }]);
      for (const fn of ofType(run, types.fn).filter((f) => inVpc.includes(f.name))) {
        expect(fn.inputs.vpcConfig).toEqual({ subnetIds: ["network-vpc-isolated-a", "network-vpc-isolated-b"], securityGroupIds: ["network-functions-id"] });
      }
      },
    );
  });
}
