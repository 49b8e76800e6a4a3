/** COGNITO_* variables: set by a stack whose users sign in with its Cognito user pool (`cartwright:identity.provider: cognito`). */
import { Either, ParseResult, Schema } from "effect";

const UserPoolId = Schema.String.pipe(Schema.pattern(/^[a-z]{2}(-gov)?-[a-z]+-\d_[a-zA-Z0-9]+$/, { message: () => "must be a user pool id such as eu-west-1_AbC123" }));
const ClientId = Schema.String.pipe(Schema.pattern(/^[\w+]{1,128}$/, { message: () => "must be an app client id" }));
const Https = Schema.String.pipe(Schema.pattern(/^https:\/\/\S+$/, { message: () => "must be an https URL" }));

const CognitoEnv = Schema.Struct({
  COGNITO_USER_POOL_ID: UserPoolId,
  COGNITO_CLIENT_ID: ClientId,
  COGNITO_SIGN_IN_URL: Schema.optional(Https),
});

export interface CognitoConfig {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly signInUrl?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The user pool, when COGNITO_USER_POOL_ID is set; a bad or missing companion variable is thrown as one line naming it. */
export const cognitoFrom = (env: Env, fail: (line: string) => never): CognitoConfig | undefined => {
  const set = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("COGNITO_") && v !== undefined && v !== ""));
  if (set.COGNITO_USER_POOL_ID === undefined && set.COGNITO_CLIENT_ID === undefined) return undefined;
  const result = Schema.decodeUnknownEither(CognitoEnv, { onExcessProperty: "ignore" })(set);
  if (Either.isLeft(result)) {
    const [issue] = ParseResult.ArrayFormatter.formatErrorSync(result.left);
    return fail(`Invalid configuration: ${String(issue?.path[0] ?? "COGNITO_USER_POOL_ID")} ${issue?._tag === "Missing" ? "is required" : (issue?.message ?? "is invalid")}`);
  }
  const e = result.right;
  return { userPoolId: e.COGNITO_USER_POOL_ID, clientId: e.COGNITO_CLIENT_ID, ...(e.COGNITO_SIGN_IN_URL ? { signInUrl: e.COGNITO_SIGN_IN_URL } : {}) };
};
