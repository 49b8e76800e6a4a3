import { beforeAll, describe, expect, it } from "vitest";
import { type StackRun, runStack } from "../../infra/mocks/run.js";
import { env, named, ofType, prodWithStripe, statements, types } from "./helpers.js";

const account = "123456789012";
const parameterArn = (stack: string, what: string) => `arn:aws:ssm:us-east-1:${account}:parameter/cartwright/${stack}/${what}`;
const roleArn = (resource: string) => `arn:aws:iam::${account}:role/${resource}`;

interface KeyStatement {
  readonly Sid: string;
  readonly Principal: { readonly AWS: string };
  readonly Action: ReadonlyArray<string>;
  readonly Condition?: { readonly StringEquals: Record<string, unknown> };
}

describe.each([
  { stack: "staging", stripe: false },
  { stack: "prod", stripe: true },
])("Secrets of stack $stack (Stripe: $stripe)", ({ stack, stripe }) => {
  let run: StackRun;
  const readers = {
    "api-role": ["jwt-signing-keys", ...(stripe ? ["stripe"] : [])],
    ...(stripe ? { "sweeper-role": ["stripe"] } : {}),
    "fulfilment-role": ["partner-webhook-secrets"],
  } as Record<string, string[]>;
  beforeAll(async () => {
    run = stripe ? await prodWithStripe() : await runStack(stack);
  }, 60_000);

  it("keeps every secret out of the functions' configuration (lambda:GetFunctionConfiguration shows parameter names only)", () => {
    for (const fn of ofType(run, types.fn)) {
      const names = Object.keys(env(fn));
      expect(names.filter((n) => /SECRET(_KEY)?$|WEBHOOK_SECRET$/.test(n))).toEqual([]);
      expect(Object.values(env(fn))).not.toContain("[secret]");
    }
    expect(env(named(run, types.fn, "api-function"))).toMatchObject({ JWT_SECRET_PARAMETER: `/cartwright/${stack}/jwt-signing-keys`, ...(stripe ? { STRIPE_PARAMETER: `/cartwright/${stack}/stripe` } : {}) });
  });

  it("holds each secret in a SecureString parameter under the stack's own customer-managed key (not the account's aws/ssm key)", () => {
    const key = named(run, "aws:kms/key:Key", "secrets-key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true });
    expect(named(run, "aws:kms/alias:Alias", "secrets-key-alias").inputs.name).toBe(`alias/cartwright-${stack}-app-secrets`);
    const parameters = ofType(run, "aws:ssm/parameter:Parameter");
    expect(parameters.map((p) => p.inputs.name).sort()).toEqual([...new Set(Object.values(readers).flat())].map((w) => `/cartwright/${stack}/${w}`).sort());
    for (const p of parameters) expect(p.inputs).toMatchObject({ type: "SecureString", keyId: expect.stringContaining("kms/key:Key/secrets-key"), value: "[secret]" });
  });

  it("lets only the roles that read a parameter decrypt it, each only its own parameters and only through SSM (invariant: the key policy names only the readers and the deploy role)", () => {
    const document = JSON.parse(String(named(run, "aws:kms/key:Key", "secrets-key").inputs.policy)) as { Statement: KeyStatement[] };
    const deployRole = roleArn(`cartwright-deploy-${stack}`);
    const decrypting = document.Statement.filter((s) => s.Action.includes("kms:Decrypt"));
    expect(decrypting.filter((s) => s.Principal.AWS !== deployRole).map((s) => [s.Principal.AWS, s.Action, s.Condition])).toEqual(
      Object.entries(readers).map(([role, whats]) => [
        roleArn(role),
        ["kms:Decrypt"],
        { StringEquals: { "kms:ViaService": "ssm.us-east-1.amazonaws.com", "kms:EncryptionContext:PARAMETER_ARN": whats.map((w) => parameterArn(stack, w)) } },
      ]),
    );
    // No account-root principal: IAM policies alone can never grant this key.
    expect(document.Statement.map((s) => s.Principal.AWS).filter((p) => p.endsWith(":root"))).toEqual([]);
    expect(decrypting.find((s) => s.Principal.AWS === deployRole)?.Condition).toEqual({ StringEquals: { "kms:ViaService": "ssm.us-east-1.amazonaws.com" } });
  });

  it("grants ssm:GetParameter only to the readers, each on exactly its parameters", () => {
    const reads = statements(run).filter((s) => s.Action.includes("ssm:GetParameter"));
    const byComponent = Object.fromEntries(reads.map((s) => [s.role.replace(/-access$/, "-role"), [...s.Resource].sort()]));
    expect(byComponent).toEqual(Object.fromEntries(Object.entries(readers).map(([role, whats]) => [role, whats.map((w) => parameterArn(stack, w)).sort()])));
  });
});
