/** `bench:lambda --store=stand-in`: the seeded item served by an endpoint that answers at once (stand-in-child.mjs). */
import { fork } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";

export interface StandIn {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A process of its own, as DynamoDB Local is: the measured handlers' CPU is theirs alone. */
export const startStandIn = async (item: Record<string, AttributeValue>): Promise<StandIn> => {
  const child = fork(join(import.meta.dirname, "stand-in-child.mjs"), [], { env: { CANNED_ITEM: JSON.stringify(item) }, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const [{ port }] = (await once(child, "message")) as [{ port: number }];
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill();
      await exited;
    },
  };
};
