import { stringify } from "yaml";
import { tableDefinition } from "../../adapters/dynamodb/table.js";
import { prices } from "../prices.js";
import type { RecordedResource, StackRun } from "../mocks/run.js";
import { type CostEstimate, type CostLine, estimateCost } from "./cost.js";
import { isTaggable } from "./taggable.js";

const usd = (value: number): string => (value > 0 && value < 0.01 ? "< $0.01" : `$${value.toFixed(2)}`);
const nameOf = (urn: string): string => urn.split("::").pop() ?? "";
const shown = (resource: RecordedResource) => !resource.type.startsWith("pulumi:");

/** Components first, each followed by its children; type then name within a component. */
const ordered = (resources: ReadonlyArray<RecordedResource>): RecordedResource[] => {
  const component = (r: RecordedResource) => (r.custom || r.parent === "" ? r.name : nameOf(r.parent));
  const key = (r: RecordedResource) => [component(r), r.custom ? "1" : "0", r.type, r.name].join("\u0000");
  return resources.filter(shown).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
};

const tagCell = (resource: RecordedResource): string => {
  if (!isTaggable(resource.type)) return "n/a";
  const tags = resource.inputs.tags as Record<string, string> | undefined;
  return tags === undefined ? "**missing**" : Object.keys(tags).sort().join(", ");
};

/** JSON documents (IAM policies, log formats) shown as structure, not escaped strings. */
const readable = (value: unknown): unknown => {
  if (typeof value === "string" && value.startsWith("{")) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(readable);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readable(v)]));
  return value;
};

const details = (resource: RecordedResource): string => {
  const { tags: _tags, ...inputs } = resource.inputs;
  const options = {
    ...(resource.protect ? { protect: true } : {}),
    ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(resource.ignoreChanges.length > 0 ? { ignoreChanges: resource.ignoreChanges } : {}),
  };
  const body = { ...(readable(inputs) as object), ...(Object.keys(options).length > 0 ? { "(options)": options } : {}) };
  return [`### ${resource.name} (\`${resource.type}\`)`, "", "```yaml", stringify(body, { sortMapEntries: true }).trimEnd(), "```", ""].join("\n");
};

const costRows = (lines: ReadonlyArray<CostLine>) => lines.map((line) => `| ${line.item} | ${line.basis} | ${usd(line.usd)} |`);

const costSection = (cost: CostEstimate): string[] => [
  "## Estimated monthly cost",
  "",
  `Prices: ${prices.region} list prices recorded ${prices.recordedOn} (\`infra/prices.ts\`), before any free tier. Free: ${prices.free.join(", ")}.`,
  "",
  "Idle (no traffic):",
  "",
  "| Item | Basis | USD / month |",
  "| --- | --- | ---: |",
  ...costRows(cost.idle),
  `| **Idle total** | | **${usd(cost.idleTotal)}** |`,
  "",
  ...(cost.capacityCeiling === undefined
    ? []
    : [`Ceiling if autoscaling reaches its maximum: ${usd(cost.capacityCeiling.usd)} / month (${cost.capacityCeiling.basis}).`, ""]),
  "Per million API requests (traffic-driven, on top of idle):",
  "",
  "| Item | Basis | USD |",
  "| --- | --- | ---: |",
  ...costRows(cost.perMillionRequests),
  `| **Per million requests** | | **${usd(cost.perMillionTotal)}** |`,
  "",
  ...(cost.perThousandOrders === undefined
    ? []
    : [
        "Order events per 1,000 orders (traffic-driven; the outbox's writes are in the checkout's DynamoDB cost):",
        "",
        "| Item | Basis | USD |",
        "| --- | --- | ---: |",
        ...costRows(cost.perThousandOrders),
        `| **Per 1,000 orders** | | **${usd(cost.perThousandOrdersTotal ?? 0)}** |`,
        "",
      ]),
  ...(cost.perThousandImages === undefined
    ? []
    : [
        "Product images per 1,000 uploads, and a million views (traffic-driven; the sweep's schedule is in the idle cost):",
        "",
        "| Item | Basis | USD |",
        "| --- | --- | ---: |",
        ...costRows(cost.perThousandImages),
        `| **Per 1,000 uploads and 1M views** | | **${usd(cost.perThousandImagesTotal ?? 0)}** |`,
        "",
      ]),
  ...(cost.perThousandMau === undefined
    ? []
    : [
        "Sign-in per 1,000 monthly active users (the user pool exists on every stack; the stack file says whether the API trusts it):",
        "",
        "| Item | Basis | USD |",
        "| --- | --- | ---: |",
        ...costRows([cost.perThousandMau]),
        "",
      ]),
];

const indexSection = (): string[] => [
  "## Table indexes (from `adapters/dynamodb/table.ts`)",
  "",
  "| Index | Partition key | Sort key | Serves |",
  "| --- | --- | --- | --- |",
  ...tableDefinition.globalSecondaryIndexes.map((i) => `| ${i.name} | ${i.partitionKey} | ${i.sortKey} | ${i.serves.join("; ")} |`),
  "",
];

/** The reviewer's view of one stack: deterministic, no timestamps, no random ids, secrets redacted. */
export const renderPlan = (run: StackRun): string => {
  const resources = ordered(run.resources);
  return [
    `# Plan: ${run.stack}`,
    "",
    `Generated by \`npm run plan\` from \`Pulumi.${run.stack}.yaml\` under Pulumi mocks (no AWS calls); do not edit by hand.`,
    "Ids and ARNs are mock values. A test fails when this file is stale.",
    "",
    ...costSection(estimateCost(run.resources)),
    `## Resources (${resources.length})`,
    "",
    "| Type | Name | Parent | Protect | Tags |",
    "| --- | --- | --- | --- | --- |",
    ...resources.map((r) => `| \`${r.type}\` | ${r.name} | ${r.parent === "" ? "" : nameOf(r.parent)} | ${r.protect ? "yes" : ""} | ${tagCell(r)} |`),
    "",
    `Stack outputs: ${Object.keys(run.outputs).sort().join(", ")}.`,
    "",
    ...indexSection(),
    "## Inputs",
    "",
    ...resources.filter((r) => r.custom).map(details),
  ].join("\n");
};
