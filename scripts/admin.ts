/**
 * `npm run admin -- --stack <stack> --email <address> [--name "Full Name"] [--pool-id <id>] [--endpoint <url>] [--dry-run]`:
 * makes an admin on a Cognito stack: AdminCreateUser (Cognito emails a temporary password; an existing user is
 * kept) then AdminAddUserToGroup `admin`. The pool is the stack's `userPoolId` output unless --pool-id is given.
 * Runs with the AWS credentials of the environment (they need cognito-idp:AdminCreateUser and AdminAddUserToGroup).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fail, parseCli, runMain, usageError } from "./cli.js";

const usage = 'npm run admin -- --stack <dev|staging|prod> --email <address> [--name "Full Name"] [--pool-id <id>] [--endpoint <url>] [--dry-run]';
const { values } = parseCli(usage, {
  options: { stack: { type: "string" }, email: { type: "string" }, name: { type: "string" }, "pool-id": { type: "string" }, endpoint: { type: "string" }, "dry-run": { type: "boolean" } },
});
const stack = values.stack ?? usageError(usage, "--stack is required");
const email = values.email ?? usageError(usage, "--email is required");
if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) usageError(usage, `--email must be an address, got "${email}"`);

// Flags first: a bad flag or --help answers before the heavy imports load.
const { AdminAddUserToGroupCommand, AdminCreateUserCommand, CognitoIdentityProviderClient, UsernameExistsException } = await import("@aws-sdk/client-cognito-identity-provider");
const { adminGroup, regionOf } = await import("../adapters/identity/cognito.js");

const poolOfStack = async (): Promise<string> => {
  const out = await promisify(execFile)("pulumi", ["stack", "output", "userPoolId", "--stack", stack]).catch((e: unknown) =>
    fail(`Cannot read stack ${stack}'s userPoolId with pulumi (${e instanceof Error ? e.message.split("\n")[0] : e}); give --pool-id instead.`),
  );
  return out.stdout.trim();
};

const main = async () => {
  const poolId = values["pool-id"] ?? (await poolOfStack());
  const attributes = [{ Name: "email", Value: email }, { Name: "email_verified", Value: "true" }, ...(values.name ? [{ Name: "name", Value: values.name }] : [])];
  if (values["dry-run"]) {
    console.log(`would call AdminCreateUser(${poolId}, ${email}) then AdminAddUserToGroup(${poolId}, ${email}, ${adminGroup}) in ${regionOf(poolId)}`);
    return;
  }
  const client = new CognitoIdentityProviderClient({ region: regionOf(poolId), ...(values.endpoint ? { endpoint: values.endpoint } : {}) });
  const created = await client
    .send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email, UserAttributes: attributes, DesiredDeliveryMediums: ["EMAIL"] }))
    .then(() => true)
    .catch((e: unknown) => (e instanceof UsernameExistsException ? false : Promise.reject(e)));
  await client.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: adminGroup }));
  console.log(`${email} is ${created ? "created (Cognito emails a temporary password) and" : "an existing user, now"} in the ${adminGroup} group of ${poolId}; their next token carries the admin role.`);
};

await runMain(main);
