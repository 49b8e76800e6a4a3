import { afterAll, beforeAll } from "vitest";
import { makeTestApi, type TestApi } from "../http/support.js";
import { type CognitoLocal, poolIds, startCognitoLocal } from "../support/cognito-local.js";
import { claimsOf, cognitoAuth, countingJwks } from "./emulated-pool.js";
import { identityContract } from "./identity-contract.js";

let builtIn: TestApi;
let cognito: TestApi;
let local: CognitoLocal;
let clientId: string;
let people = 0;

beforeAll(async () => {
  builtIn = await makeTestApi();
  local = await startCognitoLocal();
  clientId = await local.appClient(poolIds.shop);
  cognito = await makeTestApi({ auth: cognitoAuth(local, clientId, countingJwks(local).cache) });
}, 30_000);
afterAll(async () => {
  await Promise.all([builtIn?.close(), cognito?.close()]);
  await local?.stop();
});

identityContract("built-in accounts", {
  api: () => builtIn,
  customer: async () => builtIn.user(),
  admin: async () => (await builtIn.user("admin")).token,
});

const signedIn = async (groups: ReadonlyArray<string>) => {
  const email = await local.user(`person${++people}@example.com`, groups, "Pat");
  return (await local.signIn(clientId, email)).access;
};

identityContract("Cognito", {
  api: () => cognito,
  customer: async () => {
    const token = await signedIn([]);
    return { token, userId: String(claimsOf(token).sub) };
  },
  admin: () => signedIn(["admin"]),
});
