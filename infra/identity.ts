import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface IdentityArgs {
  /** The stack's region (the managed login page's host names it). */
  region: string;
  /** User pool name, unique in the account's region (`cartwright-<stack>`). */
  poolName: pulumi.Input<string>;
  /** Cognito's feature plan: LITE, ESSENTIALS (managed login, passkeys) or PLUS (threat protection); it sets the price per MAU. */
  featurePlan: "LITE" | "ESSENTIALS" | "PLUS";
  /** Refuse to delete the pool (and its users) while true. */
  deletionProtection: boolean;
  /** Shortest password accepted; Cognito also requires lower, upper case and digits here. */
  passwordMinLength: number;
  /** Lifetimes of the browser client's tokens: access and ID in minutes, refresh in days. */
  accessTokenMinutes: number;
  idTokenMinutes: number;
  refreshTokenDays: number;
  /** A managed login page at `https://<domainPrefix>.auth.<region>.amazoncognito.com`, sending users back to callbackUrls. */
  managedLogin?: { readonly domainPrefix: string; readonly callbackUrls: ReadonlyArray<string>; readonly logoutUrls: ReadonlyArray<string> };
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The stack's Cognito user pool: users sign in with their email, the `admin` group makes admins, one browser app client. */
export class Identity extends pulumi.ComponentResource {
  readonly userPoolId: pulumi.Output<string>;
  readonly userPoolArn: pulumi.Output<string>;
  readonly clientId: pulumi.Output<string>;
  /** The managed login page, where the stack has one. */
  readonly signInUrl: pulumi.Output<string> | undefined;

  constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Identity", name, {}, opts);
    const pool = userPool(this, name, args);
    const client = browserClient(this, name, args, pool);
    adminGroup(this, name, pool);
    const domain = args.managedLogin && loginDomain(this, name, args.managedLogin.domainPrefix, pool, client);
    this.userPoolId = pool.id;
    this.userPoolArn = pool.arn;
    this.clientId = client.id;
    this.signInUrl = domain && pulumi.interpolate`https://${domain.domain}.auth.${args.region}.amazoncognito.com/login?client_id=${client.id}&response_type=code`;
    this.registerOutputs({ userPoolId: this.userPoolId, clientId: this.clientId });
  }
}

const userPool = (parent: pulumi.Resource, name: string, args: IdentityArgs) =>
  new aws.cognito.UserPool(
    `${name}-pool`,
    {
      name: args.poolName,
      usernameAttributes: ["email"],
      autoVerifiedAttributes: ["email"],
      usernameConfiguration: { caseSensitive: false },
      userPoolTier: args.featurePlan,
      deletionProtection: args.deletionProtection ? "ACTIVE" : "INACTIVE",
      passwordPolicy: { minimumLength: args.passwordMinLength, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false, temporaryPasswordValidityDays: 7 },
      accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
      // Self sign-up makes customers only: the admin group is joined through `npm run admin`, never by a user.
      adminCreateUserConfig: { allowAdminCreateUserOnly: false },
      schemas: [{ name: "name", attributeDataType: "String", mutable: true, required: false, stringAttributeConstraints: { minLength: "1", maxLength: "100" } }],
      tags: args.tags,
    },
    { parent },
  );

const browserClient = (parent: pulumi.Resource, name: string, args: IdentityArgs, pool: aws.cognito.UserPool) =>
  new aws.cognito.UserPoolClient(
    `${name}-client`,
    {
      name: pulumi.interpolate`${args.poolName}-browser`,
      userPoolId: pool.id,
      // A browser cannot keep a secret.
      generateSecret: false,
      explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      preventUserExistenceErrors: "ENABLED",
      enableTokenRevocation: true,
      accessTokenValidity: args.accessTokenMinutes,
      idTokenValidity: args.idTokenMinutes,
      refreshTokenValidity: args.refreshTokenDays,
      tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
      ...(args.managedLogin
        ? {
            allowedOauthFlowsUserPoolClient: true,
            allowedOauthFlows: ["code"],
            allowedOauthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
            callbackUrls: [...args.managedLogin.callbackUrls],
            logoutUrls: [...args.managedLogin.logoutUrls],
            supportedIdentityProviders: ["COGNITO"],
          }
        : {}),
    },
    { parent },
  );

const adminGroup = (parent: pulumi.Resource, name: string, pool: aws.cognito.UserPool) =>
  new aws.cognito.UserGroup(`${name}-admin-group`, { name: "admin", userPoolId: pool.id, description: "Cartwright admins (the admin role)" }, { parent });

/** Managed login (version 2) shows a client's page only once the client has a branding: Cognito's own here. */
const loginDomain = (parent: pulumi.Resource, name: string, prefix: string, pool: aws.cognito.UserPool, client: aws.cognito.UserPoolClient) => {
  const domain = new aws.cognito.UserPoolDomain(`${name}-domain`, { domain: prefix, userPoolId: pool.id, managedLoginVersion: 2 }, { parent });
  new aws.cognito.ManagedLoginBranding(`${name}-branding`, { userPoolId: pool.id, clientId: client.id, useCognitoProvidedValues: true }, { parent });
  return domain;
};
