/**
 * Starts one in-memory DynamoDB Local for the whole test run (vitest globalSetup). Each project of vitest.config.ts
 * runs this setup, in the same process: the first starts the engine, the others share it, the last teardown stops it.
 */
import type { TestProject } from "vitest/node";
import { startDynamoLocal, type DynamoLocal } from "../../adapters/dynamodb/local.js";

interface Shared {
  readonly started: Promise<{ readonly local?: DynamoLocal; readonly error: string }>;
  users: number;
}
const holder = globalThis as { cartwrightDynamoLocal?: Shared };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (holder.cartwrightDynamoLocal ??= {
    // Not thrown here so tests that do not need DynamoDB still run; freshTable() fails loudly with the error.
    started: startDynamoLocal().then(
      (local): Awaited<Shared["started"]> => ({ local, error: "" }),
      (error: unknown): Awaited<Shared["started"]> => ({ error: error instanceof Error ? error.message : String(error) }),
    ),
    users: 0,
  });
  shared.users++;
  const { local, error } = await shared.started;
  project.provide("dynamoEndpoint", local?.endpoint ?? "");
  project.provide("dynamoStartError", error);
  return async () => {
    if (--shared.users > 0) return;
    holder.cartwrightDynamoLocal = undefined;
    await local?.stop();
  };
}
