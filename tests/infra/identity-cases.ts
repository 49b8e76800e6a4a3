/** The user pool per stack (issue 21): run inside tests/infra/stacks.test.ts, on its stack runs (no extra program run). */
import { describe, expect, it } from "vitest";
import type { StackRun } from "../../infra/mocks/run.js";
import { env, named, types } from "./helpers.js";

/** What each stack's users sign in with (issue 21): dev may keep the built-in accounts; staging and prod trust Cognito. */
const expected = [
  { stack: "dev", provider: "built-in", deletionProtection: "INACTIVE", accessTokenMinutes: 60 },
  { stack: "staging", provider: "cognito", deletionProtection: "INACTIVE", accessTokenMinutes: 60 },
  { stack: "prod", provider: "cognito", deletionProtection: "ACTIVE", accessTokenMinutes: 15 },
] as const;

export const identityCases = (stack: string, runOf: () => StackRun): void => {
  const want = expected.find((e) => e.stack === stack);
  if (want === undefined) throw new Error(`no identity expectations for stack ${stack}`);
  describe("Identity", () => {

  it("has a user pool where the email is the username and must be verified, with a password policy and the stack's deletion protection and feature plan", () => {
    const pool = named(runOf(), "aws:cognito/userPool:UserPool", "identity-pool").inputs;
    expect(pool).toMatchObject({ usernameAttributes: ["email"], autoVerifiedAttributes: ["email"], deletionProtection: want.deletionProtection, userPoolTier: "ESSENTIALS" });
    expect(pool.passwordPolicy).toMatchObject({ minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true });
  });

  it("has one browser client without a secret, signing in by SRP and refreshing, with the stack's token lifetimes, and the admin group", () => {
    const client = named(runOf(), "aws:cognito/userPoolClient:UserPoolClient", "identity-client").inputs;
    expect(client).toMatchObject({ generateSecret: false, explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], accessTokenValidity: want.accessTokenMinutes });
    expect(client.tokenValidityUnits).toEqual({ accessToken: "minutes", idToken: "minutes", refreshToken: "days" });
    expect(named(runOf(), "aws:cognito/userGroup:UserGroup", "identity-admin-group").inputs.name).toBe("admin");
  });

  it(`gives the API the pool's and client's ids only where the stack trusts Cognito (${want.provider}), and no secret of it`, () => {
    const vars = env(named(runOf(), types.fn, "api-function"));
    const cognito = Object.keys(vars).filter((k) => k.startsWith("COGNITO_")).sort();
    expect(cognito).toEqual(want.provider === "cognito" ? ["COGNITO_CLIENT_ID", "COGNITO_USER_POOL_ID"] : []);
    if (want.provider === "cognito") expect(vars.COGNITO_USER_POOL_ID).toBe("identity-pool-id");
  });
});
};
