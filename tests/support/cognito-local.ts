/**
 * Cognito Local (npm `cognito-local`) as the offline stand-in for Amazon Cognito: a child process in a fresh
 * directory, its issuer set to the AWS form and its pools seeded before it starts, so that aws-jwt-verify accepts
 * its RS256 tokens as a real pool's. Started by the tests that need it, stopped when they end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";

export const region = "eu-west-1";
/** Pool ids in AWS's form (aws-jwt-verify derives the issuer and region from them). */
export const poolIds = { shop: `${region}_cartwrightShop`, other: `${region}_cartwrightOther` } as const;
const issuerDomain = `https://cognito-idp.${region}.amazonaws.com`;
const startTimeoutMs = 20_000;

export interface CognitoLocal {
  readonly endpoint: string;
  readonly client: CognitoIdentityProviderClient;
  /** Maps the real JWKS URL to the emulator's (aws-jwt-verify's own fetcher refuses http:). */
  readonly jwksUrl: (awsUrl: string) => string;
  /** A browser app client (no secret) of that pool. */
  readonly appClient: (poolId: string, accessTokenMinutes?: number) => Promise<string>;
  /** A confirmed user of the shop pool, optionally in groups; returns its username. */
  readonly user: (email: string, groups?: ReadonlyArray<string>, name?: string, poolId?: string) => Promise<string>;
  readonly setGroup: (email: string, group: string, member: boolean) => Promise<void>;
  /** Signs in with USER_PASSWORD_AUTH (the emulator has no SRP): the access and ID tokens. */
  readonly signIn: (clientId: string, email: string) => Promise<{ readonly access: string; readonly id: string }>;
  readonly stop: () => Promise<void>;
}

const password = "Corr3ct-horse!";

const waitForPort = (child: ChildProcess): Promise<number> =>
  new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`cognito-local did not start within ${startTimeoutMs} ms: ${output}`)), startTimeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      // eslint-disable-next-line no-control-regex
      const match = /running on http:\/\/[\d.]+:(\d+)/.exec(output.replace(/\u001b\[\d+m/g, ""));
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`cognito-local exited (${code}) before listening: ${output}`)));
  });

export const startCognitoLocal = async (): Promise<CognitoLocal> => {
  const dir = await mkdtemp(join(tmpdir(), "cognito-local-"));
  await mkdir(join(dir, ".cognito", "db"), { recursive: true });
  await writeFile(join(dir, ".cognito", "config.json"), JSON.stringify({ TokenConfig: { IssuerDomain: issuerDomain } }));
  for (const id of Object.values(poolIds)) await writeFile(join(dir, ".cognito", "db", `${id}.json`), "{}");
  const bin = createRequire(import.meta.url).resolve("cognito-local/lib/bin/start.js");
  const child = spawn(process.execPath, [bin], { cwd: dir, env: { ...process.env, PORT: "0", HOST: "127.0.0.1" }, stdio: ["ignore", "pipe", "pipe"] });
  const port = await waitForPort(child).catch(async (e: unknown) => {
    child.kill();
    await rm(dir, { recursive: true, force: true });
    throw e;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new CognitoIdentityProviderClient({ endpoint, region, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  await client.send(new CreateGroupCommand({ UserPoolId: poolIds.shop, GroupName: "admin" }));
  const UserPoolId = poolIds.shop;
  return {
    endpoint,
    client,
    jwksUrl: (awsUrl) => awsUrl.replace(issuerDomain, endpoint),
    appClient: async (poolId, accessTokenMinutes) => {
      const created = await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "storefront",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          ...(accessTokenMinutes === undefined ? {} : { AccessTokenValidity: accessTokenMinutes, TokenValidityUnits: { AccessToken: "minutes" } }),
        }),
      );
      return created.UserPoolClient!.ClientId!;
    },
    user: async (email, groups = [], name, poolId = poolIds.shop) => {
      const UserPoolId = poolId;
      const attributes = [{ Name: "email", Value: email }, { Name: "email_verified", Value: "true" }, ...(name ? [{ Name: "name", Value: name }] : [])];
      await client.send(new AdminCreateUserCommand({ UserPoolId, Username: email, UserAttributes: attributes, MessageAction: "SUPPRESS" }));
      await client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: password, Permanent: true }));
      for (const group of groups) await client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: group }));
      return email;
    },
    setGroup: async (email, group, member) => {
      const input = { UserPoolId, Username: email, GroupName: group };
      await client.send(member ? new AdminAddUserToGroupCommand(input) : new AdminRemoveUserFromGroupCommand(input));
    },
    signIn: async (clientId, email) => {
      const out = await client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } }));
      return { access: out.AuthenticationResult!.AccessToken!, id: out.AuthenticationResult!.IdToken! };
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill();
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
};
