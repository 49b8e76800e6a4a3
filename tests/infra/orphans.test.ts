import { describe, expect, it } from "vitest";
import { describeReport, findOrphans, isClean, isStackLogGroup, logGroupPattern, orphanTagFilters } from "../../infra/orphans.js";

const tags = (stack: string, project = "cartwright") => ({ project, stack, owner: "platform-team" });

describe("Orphans.findOrphans", () => {
  it("reports a clean account when nothing of the stack is left", () => {
    const report = findOrphans("dev", { resources: [], logGroups: [{ name: "/aws/lambda/someone-else" }] });
    expect(isClean(report)).toBe(true);
    expect(describeReport(report)).toBe("Stack dev: nothing left behind (no tagged resources, no log groups).");
  });

  it("does not count the stack's KMS key as left behind: destroy schedules its deletion, and KMS keeps it tagged meanwhile", () => {
    const key = "arn:aws:kms:us-east-1:1:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const report = findOrphans("dev", { resources: [{ arn: key, tags: tags("dev") }], logGroups: [] });
    expect(isClean(report)).toBe(true);
    expect(report.keysPendingDeletion).toEqual([key]);
    expect(describeReport(report)).toContain(`key scheduled for deletion by destroy (check with aws kms describe-key): ${key}`);
  });

  it("reports resources still tagged with the project and the stack", () => {
    const report = findOrphans("dev", {
      resources: [
        { arn: "arn:aws:dynamodb:us-east-1:1:table/cartwright-dev", tags: tags("dev") },
        { arn: "arn:aws:lambda:us-east-1:1:function:cartwright-staging-api", tags: tags("staging") },
        { arn: "arn:aws:lambda:us-east-1:1:function:other-dev", tags: tags("dev", "other") },
      ],
      logGroups: [],
    });
    expect(report.resources).toEqual(["arn:aws:dynamodb:us-east-1:1:table/cartwright-dev"]);
    expect(isClean(report)).toBe(false);
  });

  it("reports the stack's log groups left behind, sorted, and ignores look-alike names", () => {
    const report = findOrphans("dev", {
      resources: [],
      logGroups: [
        { name: "/aws/lambda/cartwright-dev-sweeper" },
        { name: "/aws/apigateway/cartwright-dev-api-access" },
        { name: "/aws/lambda/cartwright-dev-api" },
        { name: "/aws/lambda/cartwright-devtools" },
        { name: "/aws/lambda/cartwright-staging-api" },
        { name: "/aws/lambda/not-cartwright-dev-api" },
      ],
    });
    expect(report.logGroups).toEqual([
      "/aws/apigateway/cartwright-dev-api-access",
      "/aws/lambda/cartwright-dev-api",
      "/aws/lambda/cartwright-dev-sweeper",
    ]);
  });

  it("describes every leftover on its own line, so the script's output is actionable", () => {
    const report = findOrphans("dev", {
      resources: [{ arn: "arn:aws:sns:us-east-1:1:cartwright-dev-alarms", tags: tags("dev") }],
      logGroups: [{ name: "/aws/lambda/cartwright-dev-api" }],
    });
    expect(describeReport(report).split("\n").slice(0, 3)).toEqual([
      "Stack dev: 2 leftover(s) still cost money or clutter the account:",
      "  resource   arn:aws:sns:us-east-1:1:cartwright-dev-alarms",
      "  log group  /aws/lambda/cartwright-dev-api",
    ]);
  });
});

describe("Orphans.queries", () => {
  it("asks the tagging API for resources carrying both the project and the stack tag", () => {
    expect(orphanTagFilters("dev")).toEqual([
      { Key: "project", Values: ["cartwright"] },
      { Key: "stack", Values: ["dev"] },
    ]);
  });

  it("asks CloudWatch Logs for a pattern every stack log group matches", () => {
    for (const name of ["/aws/lambda/cartwright-prod-api", "/aws/apigateway/cartwright-prod-api-access"]) {
      expect(name).toContain(logGroupPattern("prod"));
      expect(isStackLogGroup("prod", name)).toBe(true);
    }
  });
});
