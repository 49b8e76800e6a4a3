/** Starts one in-memory DynamoDB Local for the whole test run (vitest globalSetup). */
import type { TestProject } from "vitest/node";
import { startDynamoLocal, type DynamoLocal } from "../../adapters/dynamodb/local.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let local: DynamoLocal | undefined;
  try {
    local = await startDynamoLocal();
    project.provide("dynamoEndpoint", local.endpoint);
    project.provide("dynamoStartError", "");
  } catch (error) {
    // Not thrown here so tests that do not need DynamoDB still run; freshTable() fails loudly with it.
    project.provide("dynamoEndpoint", "");
    project.provide("dynamoStartError", error instanceof Error ? error.message : String(error));
  }
  return async () => {
    await local?.stop();
  };
}
