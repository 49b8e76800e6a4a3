import { beforeAll, describe, expect, it } from "vitest";
import { type StackRun, runStack } from "../../infra/mocks/run.js";
import { type FunctionKey, type OutboundCall, outboundCalls } from "../../infra/outbound.js";
import { env, named, ofType, prodWithStripe, statements, types } from "./helpers.js";

/** The VPC endpoints a stack creates (awsx's endpoint specs and standalone ones), by service name. */
const endpointServices = (run: StackRun): string[] => [
  ...ofType(run, types.vpc).flatMap((vpc) => ((vpc.inputs.vpcEndpointSpecs as Array<{ serviceName: string }> | undefined) ?? []).map((e) => e.serviceName)),
  ...ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => String(e.inputs.serviceName)),
];

const hasNat = (run: StackRun): boolean =>
  ofType(run, "aws:ec2/natGateway:NatGateway").length > 0 ||
  ofType(run, types.vpc).some((vpc) => (vpc.inputs.natGateways as { strategy?: string } | undefined)?.strategy !== "None");

/** Whether the function's network gives the call a route: outside a VPC every public endpoint is reachable. */
const routed = (run: StackRun, inVpc: boolean, call: OutboundCall): boolean => {
  // A presigned request is sent by the client that holds it, not from the function: it needs the grant only.
  if (!inVpc || (call.kind === "aws" && (call.viaLambda === true || call.presigned === true))) return true;
  if (call.kind === "internet") return hasNat(run);
  return hasNat(run) || endpointServices(run).includes(`com.amazonaws.us-east-1.${call.service}`);
};

const granted = (run: StackRun, fn: FunctionKey): Set<string> =>
  new Set(statements(run).filter((s) => s.role.startsWith(`${fn}-`)).flatMap((s) => s.Action));

/** The calls a deployed function makes on this stack: all it declares, less those its environment does not turn on. */
const callsOf = (run: StackRun, fn: FunctionKey): ReadonlyArray<OutboundCall> => {
  const environment = env(named(run, types.fn, `${fn}-function`));
  return (outboundCalls[fn] as ReadonlyArray<OutboundCall>).filter((call) => call.onlyWith === undefined || environment[call.onlyWith] !== undefined);
};

const unreachable = (run: StackRun) =>
  (Object.keys(outboundCalls) as FunctionKey[]).flatMap((fn) => {
    const inVpc = named(run, types.fn, `${fn}-function`).inputs.vpcConfig !== undefined;
    return callsOf(run, fn).filter((call) => !routed(run, inVpc, call)).map((call) => `${fn} → ${call.kind === "aws" ? call.service : call.host}`);
  });

const ungranted = (run: StackRun) =>
  (Object.keys(outboundCalls) as FunctionKey[]).flatMap((fn) => {
    const actions = granted(run, fn);
    return callsOf(run, fn).flatMap((call) => (call.kind === "aws" ? call.actions.filter((a) => !actions.has(a)).map((a) => `${fn} → ${a}`) : []));
  });

describe.each(["dev", "staging", "prod", "prod with Stripe"])("Outbound calls on stack %s", (stack) => {
  let run: StackRun;
  beforeAll(async () => {
    run = stack === "prod with Stripe" ? await prodWithStripe() : await runStack(stack);
    if (stack === "prod with Stripe") expect(env(named(run, types.fn, "sweeper-function")).STRIPE_PARAMETER).toBe("/cartwright/prod/stripe");
  }, 60_000);

  it("declares every function the stack deploys, and nothing it does not", () => {
    expect(ofType(run, types.fn).map((f) => f.name).sort()).toEqual(Object.keys(outboundCalls).map((fn) => `${fn}-function`).sort());
  });

  it("gives every declared call a route from where its function runs (invariant: a call the code makes can leave the function)", () => {
    expect(unreachable(run)).toEqual([]);
  });

  it("grants every declared AWS call's actions to its function's role (invariant: a reachable call is also allowed)", () => {
    expect(ungranted(run)).toEqual([]);
  });
});

describe("Stacks' topology", () => {
  it("is the same on every stack: the same resource types and the same functions' networks (stacks differ in size only)", async () => {
    const shape = async (stack: string) => {
      const run = await runStack(stack);
      return {
        types: [...new Set(run.resources.map((r) => r.type))].filter((t) => !t.startsWith("aws:appautoscaling/")).sort(),
        inVpc: ofType(run, types.fn).map((f) => [f.name, f.inputs.vpcConfig !== undefined]),
      };
    };
    const prod = await shape("prod");
    expect(await shape("staging")).toEqual(prod);
  }, 60_000);
});
