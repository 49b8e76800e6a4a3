/**
 * `npm run sandbox:orphans [-- --stack dev --attempts 3 --wait-seconds 60]`: after
 * `pulumi destroy`, lists what is still tagged with the stack or still holds its logs;
 * exits 1 if anything remains. The tagging API can lag a deletion by minutes, hence the
 * optional re-checks. Uses the caller's AWS credentials and the stack file's region.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout } from "node:timers/promises";
import type { LogGroup, TaggedResource } from "../infra/orphans.js";
import { parseCli } from "./cli.js";

const { values } = parseCli("npm run sandbox:orphans -- [--stack dev] [--attempts N] [--wait-seconds N]", {
  options: {
    stack: { type: "string", default: "dev" },
    attempts: { type: "string", default: "1" },
    "wait-seconds": { type: "string", default: "60" },
  },
});
const stack = values.stack;

// Flags first: a bad flag or --help answers before the heavy imports load.
const { CloudWatchLogsClient, paginateDescribeLogGroups } = await import("@aws-sdk/client-cloudwatch-logs");
const { ResourceGroupsTaggingAPIClient, paginateGetResources } = await import("@aws-sdk/client-resource-groups-tagging-api");
const { parse } = await import("yaml");
const { describeReport, findOrphans, isClean, logGroupPattern, orphanTagFilters } = await import("../infra/orphans.js");

const stackRegion = async (): Promise<string> => {
  const file = parse(await readFile(join(import.meta.dirname, "..", `Pulumi.${stack}.yaml`), "utf8")) as {
    config?: Record<string, unknown>;
  };
  const region = file.config?.["aws:region"];
  if (typeof region !== "string") throw new Error(`Pulumi.${stack}.yaml sets no aws:region`);
  return region;
};

const taggedResources = async (region: string): Promise<TaggedResource[]> => {
  const client = new ResourceGroupsTaggingAPIClient({ region });
  const found: TaggedResource[] = [];
  for await (const page of paginateGetResources({ client }, { TagFilters: orphanTagFilters(stack) })) {
    for (const mapping of page.ResourceTagMappingList ?? []) {
      const tags = Object.fromEntries((mapping.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
      found.push({ arn: mapping.ResourceARN ?? "(no ARN)", tags });
    }
  }
  return found;
};

const logGroups = async (region: string): Promise<LogGroup[]> => {
  const client = new CloudWatchLogsClient({ region });
  const found: LogGroup[] = [];
  for await (const page of paginateDescribeLogGroups({ client }, { logGroupNamePattern: logGroupPattern(stack) })) {
    for (const group of page.logGroups ?? []) {
      found.push({ name: group.logGroupName ?? "", ...(group.storedBytes === undefined ? {} : { storedBytes: group.storedBytes }) });
    }
  }
  return found;
};

const check = async (region: string) =>
  findOrphans(stack, { resources: await taggedResources(region), logGroups: await logGroups(region) });

const region = await stackRegion();
let report = await check(region);
for (let attempt = 2; attempt <= Number(values.attempts) && !isClean(report); attempt++) {
  console.log(`${describeReport(report)}\nRe-checking in ${values["wait-seconds"]} s (attempt ${attempt} of ${values.attempts})...`);
  await setTimeout(Number(values["wait-seconds"]) * 1000);
  report = await check(region);
}
console.log(describeReport(report));
process.exitCode = isClean(report) ? 0 : 1;
