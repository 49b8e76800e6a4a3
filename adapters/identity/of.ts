import type { IdentityShape } from "../../domain/index.js";
import type { SourcedTokenSettings, TokenSettings } from "../http/auth/tokens.js";
import { builtInIdentity } from "./built-in.js";
import { cognitoIdentity, type CognitoSettings } from "./cognito.js";

/** Users sign in with a Cognito user pool (set per stack); otherwise the built-in accounts. */
export interface CognitoAuth {
  readonly cognito: CognitoSettings;
}

export const identityOf = (auth: TokenSettings | SourcedTokenSettings | CognitoAuth): IdentityShape =>
  "cognito" in auth ? cognitoIdentity(auth.cognito) : builtInIdentity(auth);
