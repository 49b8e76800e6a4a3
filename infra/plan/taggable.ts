import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";

const packages: Record<string, unknown> = { aws, awsx };

/**
 * Whether a resource type accepts `tags`, read from the provider SDK itself (its
 * constructor copies `tags` into the inputs) rather than from a hand-kept list.
 */
export const isTaggable = (type: string): boolean => {
  const match = /^(aws|awsx):([A-Za-z0-9]+)(?:\/[A-Za-z0-9]+)?:([A-Za-z0-9]+)$/.exec(type);
  if (match === null) return false;
  const [, pkg, module, className] = match as unknown as [string, string, string, string];
  const namespace = (packages[pkg] as Record<string, Record<string, unknown> | undefined>)[module];
  const resourceClass = namespace?.[className];
  return typeof resourceClass === "function" && resourceClass.toString().includes('resourceInputs["tags"]');
};
