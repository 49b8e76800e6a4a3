/**
 * Runs the real program for one stack under Pulumi's mocks and records every
 * resource: type, name, parent, inputs, and the options the engine receives
 * (protect, dependencies, ignoreChanges), which the mocks' `newResource` hook
 * does not expose. Shared by the infra tests and `npm run plan`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb.js";
import { parse } from "yaml";
import { project } from "../config.js";
import { mockCall, mockState } from "./state.js";

export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent ("" for the root stack). */
  readonly parent: string;
  readonly custom: boolean;
  /** Inputs as the engine got them; secrets as "[secret]", archives as `{ archive: path }`. */
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly dependencies: ReadonlyArray<string>;
  readonly ignoreChanges: ReadonlyArray<string>;
}

export interface StackRun {
  readonly stack: string;
  readonly resources: ReadonlyArray<RecordedResource>;
  readonly outputs: Record<string, unknown>;
}

export const mockJwtSecret = "mock-jwt-secret-never-in-plans";
export const mockWebhookSecret = "mock-webhook-secret-never-in-plans";
const repoRoot = join(import.meta.dirname, "..", "..");

/** The stack file's config as Pulumi hands it to a program: scalars as strings, the rest JSON. */
export const stackFileConfig = async (stack: string): Promise<Record<string, string>> => {
  const file = parse(await readFile(join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(file.config ?? {}).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
  );
};

const sig = "4dabf18193072939515e22adb298388d";
const signatures = {
  secret: "1b47061264138c4ac30d75fd1eb44270",
  archive: "0def7320c3a5731c473e5ecbe6d01bc7",
  asset: "c44067f5952c0a294b673a41bacd8c17",
  resource: "5cf8f73096256a8f31e491e813e4eb8e",
};
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Plain data from the wire format, keeping secrets out. */
const normalize = (value: unknown): unknown => {
  if (value === unknown) return "[unknown]";
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  switch (record[sig]) {
    case signatures.secret:
      return "[secret]";
    case signatures.archive:
    case signatures.asset:
      return { archive: record.path ?? record.uri ?? "[inline]" };
    case signatures.resource:
      return { resource: record.urn };
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, normalize(inner)]));
};

type Register = (request: RegisterResourceRequest, callback: (error: Error | null, response?: RegisterResourceResponse) => void) => void;

/** Wraps the mock monitor's registerResource to see the request (options included) and the URN it got. */
export const recordRegistrations = (into: RecordedResource[]): void => {
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: Register };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) =>
    register(request, (error, response) => {
      if (response !== undefined) {
        into.push({
          urn: response.getUrn(),
          type: request.getType(),
          name: request.getName(),
          parent: request.getParent(),
          custom: request.getCustom(),
          inputs: normalize(request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
          protect: request.getProtect() ?? false,
          retainOnDelete: request.getRetainondelete() ?? false,
          dependencies: request.getDependenciesList(),
          ignoreChanges: request.getIgnorechangesList(),
        });
      }
      callback(error, response);
    });
};

export interface RunOptions {
  /** Config to use instead of the committed stack file. */
  readonly config?: Record<string, string>;
  /** Provide the JWT and webhook secrets as secret config (default true). */
  readonly withSecret?: boolean;
}

/** Runs `stacks/index.ts` for a stack under mocks; rejects with the program's error (e.g. bad config). */
export const runStack = async (stack: string, options: RunOptions = {}): Promise<StackRun> => {
  const config = options.config ?? (await stackFileConfig(stack));
  const region = config["aws:region"] ?? "us-east-1";
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: args.custom ? `${args.name}-id` : undefined, state: mockState(args.type, args.name, args.inputs, region) }),
      call: (args) => mockCall(args.token, args.inputs),
    },
    project,
    stack,
    false,
  );
  const withSecret = options.withSecret ?? true;
  const { [`${project}:jwtSecret`]: _jwt, [`${project}:warehouseWebhookSecret`]: _warehouse, [`${project}:deliveryWebhookSecret`]: _delivery, ...plain } = config;
  const secrets = {
    [`${project}:jwtSecret`]: mockJwtSecret,
    [`${project}:warehouseWebhookSecret`]: `${mockWebhookSecret}-warehouse`,
    [`${project}:deliveryWebhookSecret`]: `${mockWebhookSecret}-delivery`,
  };
  pulumi.runtime.setAllConfig(withSecret ? { ...plain, ...secrets } : plain, withSecret ? Object.keys(secrets) : []);
  const resources: RecordedResource[] = [];
  recordRegistrations(resources);
  const { default: program } = await import("../../stacks/index.js");
  try {
    // Called directly (not in a root Stack resource) so a config error is thrown here, not as an unhandled rejection.
    const outputs = await resolve(pulumi.output(program()));
    return { stack, resources, outputs };
  } finally {
    // Waits for every registration to reach the mock monitor.
    await pulumi.runtime.disconnect();
  }
};

const resolve = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((done) => output.apply(done));
