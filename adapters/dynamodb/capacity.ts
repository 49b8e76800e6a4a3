/** Consumed read/write capacity per store operation, so benchmarks can report RCU/WCU per use case. */
import type { ConsumedCapacity } from "@aws-sdk/client-dynamodb";

export interface CapacityTotals {
  /** Calls that returned consumed capacity (successful requests). */
  readonly calls: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Units by where they were spent: "table" or an index name. */
  readonly byTarget: Readonly<Record<string, number>>;
}

export interface CapacityRecorder {
  readonly record: (operation: string, kind: "read" | "write", consumed: ReadonlyArray<ConsumedCapacity> | ConsumedCapacity | undefined) => void;
  /** Totals per operation name (`CartStore.apply`, `OrderStore.commitCheckout`, ...). */
  readonly totals: () => ReadonlyMap<string, CapacityTotals>;
  readonly reset: () => void;
}

const empty: CapacityTotals = { calls: 0, readUnits: 0, writeUnits: 0, byTarget: {} };

const add = (into: Record<string, number>, target: string, units: number | undefined) => {
  if (units) into[target] = (into[target] ?? 0) + units;
};

export const makeCapacityRecorder = (): CapacityRecorder => {
  const byOperation = new Map<string, CapacityTotals>();
  return {
    record: (operation, kind, consumed) => {
      if (consumed === undefined) return;
      const list = Array.isArray(consumed) ? consumed : [consumed as ConsumedCapacity];
      const before = byOperation.get(operation) ?? empty;
      const byTarget = { ...before.byTarget };
      let units = 0;
      for (const c of list) {
        units += c.CapacityUnits ?? 0;
        add(byTarget, "table", c.Table?.CapacityUnits);
        for (const [name, index] of Object.entries((c.GlobalSecondaryIndexes ?? {}) as Record<string, { CapacityUnits?: number }>)) add(byTarget, name, index.CapacityUnits);
      }
      byOperation.set(operation, {
        calls: before.calls + 1,
        readUnits: before.readUnits + (kind === "read" ? units : 0),
        writeUnits: before.writeUnits + (kind === "write" ? units : 0),
        byTarget,
      });
    },
    totals: () => new Map(byOperation),
    reset: () => byOperation.clear(),
  };
};
