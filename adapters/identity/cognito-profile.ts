/** A Cognito user's profile, read with GetUser: the access token authorizes it, so the function holds no IAM grant for it. */
import { Effect } from "effect";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { IdentityProviderUnavailable, type IdentityProfile } from "../../domain/index.js";

const attribute = (attributes: ReadonlyArray<{ Name?: string | undefined; Value?: string | undefined }>, name: string) =>
  attributes.find((a) => a.Name === name)?.Value;

export const cognitoProfile = (endpoint: string, region: string) => {
  // Loaded on the first profile read (a customer's first request), never on a cold start that needs none.
  let client: Promise<{ client: CognitoIdentityProviderClient; GetUserCommand: typeof import("@aws-sdk/client-cognito-identity-provider").GetUserCommand }> | undefined;
  const load = () =>
    (client ??= import("@aws-sdk/client-cognito-identity-provider").then((sdk) => ({
      // GetUser is authorized by the access token alone: the placeholder credentials are never checked.
      client: new sdk.CognitoIdentityProviderClient({ endpoint, region, credentials: { accessKeyId: "unused", secretAccessKey: "unused" } }),
      GetUserCommand: sdk.GetUserCommand,
    })));
  return (token: string): Effect.Effect<IdentityProfile | undefined, IdentityProviderUnavailable> =>
    Effect.tryPromise({
      try: async () => {
        const { client, GetUserCommand } = await load();
        const user = await client.send(new GetUserCommand({ AccessToken: token }));
        const attributes = user.UserAttributes ?? [];
        const email = attribute(attributes, "email") ?? "";
        // A pool that asks for no name: the address's local part greets the customer until they set one.
        return { email, name: attribute(attributes, "name") ?? email.split("@")[0] ?? "" };
      },
      catch: (e) => new IdentityProviderUnavailable({ provider: "cognito", reason: e instanceof Error ? e.message : String(e) }),
    });
};
