/**
 * What `npm run sandbox:orphans` decides, as pure functions: after `pulumi
 * destroy`, which resources still belong to the stack. The script only fetches.
 */
import { stackNames } from "./names.js";

export interface TaggedResource {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface LogGroup {
  readonly name: string;
  readonly storedBytes?: number;
}

export interface OrphanReport {
  readonly stack: string;
  readonly resources: ReadonlyArray<string>;
  readonly logGroups: ReadonlyArray<string>;
  /** The stack's KMS keys: `pulumi destroy` only schedules their deletion (7 days, no charge meanwhile). */
  readonly keysPendingDeletion: ReadonlyArray<string>;
}

/** The tag filters to ask the Resource Groups Tagging API for (all must match). */
export const orphanTagFilters = (stack: string) => [
  { Key: "project", Values: ["cartwright"] },
  { Key: "stack", Values: [stack] },
];

/** The substring to ask CloudWatch Logs for; `isStackLogGroup` then decides exactly. */
export const logGroupPattern = (stack: string): string => stackNames(stack).prefix;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A log group is the stack's when a path segment is `cartwright-<stack>` or starts with
 * `cartwright-<stack>-` (so `cartwright-dev-api` counts, `cartwright-devtools` does not).
 */
export const isStackLogGroup = (stack: string, name: string): boolean => {
  const { prefix, apiFunction, sweeperFunction } = stackNames(stack);
  if ([apiFunction, sweeperFunction].some((fn) => name === `/aws/lambda/${fn}`)) return true;
  return new RegExp(`(^|/)${escape(prefix)}(-[^/]*)?(/|$)`).test(name);
};

const isStackResource = (stack: string, resource: TaggedResource): boolean =>
  resource.tags.project === "cartwright" && resource.tags.stack === stack;

// KMS never deletes a key at once: after destroy the key stays, tagged, until its deletion window ends.
const isKey = (resource: TaggedResource): boolean => /^arn:aws:kms:[^:]*:[^:]*:key\//.test(resource.arn);

export const findOrphans = (
  stack: string,
  found: { readonly resources: ReadonlyArray<TaggedResource>; readonly logGroups: ReadonlyArray<LogGroup> },
): OrphanReport => ({
  stack,
  resources: found.resources.filter((resource) => isStackResource(stack, resource) && !isKey(resource)).map((r) => r.arn).sort(),
  keysPendingDeletion: found.resources.filter((resource) => isStackResource(stack, resource) && isKey(resource)).map((r) => r.arn).sort(),
  logGroups: found.logGroups.filter((group) => isStackLogGroup(stack, group.name)).map((g) => g.name).sort(),
});

export const isClean = (report: OrphanReport): boolean => report.resources.length === 0 && report.logGroups.length === 0;

const pendingKeys = (report: OrphanReport): string[] =>
  report.keysPendingDeletion.map((arn) => `  key scheduled for deletion by destroy (check with aws kms describe-key): ${arn}`);

export const describeReport = (report: OrphanReport): string =>
  isClean(report)
    ? [`Stack ${report.stack}: nothing left behind (no tagged resources, no log groups).`, ...pendingKeys(report)].join("\n")
    : [
        `Stack ${report.stack}: ${report.resources.length + report.logGroups.length} leftover(s) still cost money or clutter the account:`,
        ...report.resources.map((arn) => `  resource   ${arn}`),
        ...report.logGroups.map((name) => `  log group  ${name}`),
        "Delete them (or run `pulumi destroy` again); the tagging API can lag deletions by a few minutes.",
        ...pendingKeys(report),
      ].join("\n");
