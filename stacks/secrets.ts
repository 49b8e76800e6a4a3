/**
 * The stack's secrets as SecureString parameters under its own KMS key (infra/secrets.ts): what each holds,
 * who reads it. Values come from the stack's Pulumi secrets; the functions' environments hold only names.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../infra/config.js";
import { Secrets, type SecretParameterSpec } from "../infra/secrets.js";
import type { Tags } from "../infra/names.js";
import { deployRoleName } from "../infra/deploy-policy.js";

export const parameterNames = (stack: string) => ({
  signingKeys: `/cartwright/${stack}/jwt-signing-keys`,
  stripe: `/cartwright/${stack}/stripe`,
  partnerWebhooks: `/cartwright/${stack}/partner-webhook-secrets`,
});

const json = (values: Record<string, pulumi.Input<string> | undefined>): pulumi.Output<string> =>
  pulumi.all(values).apply((v) => JSON.stringify(Object.fromEntries(Object.entries(v).filter(([, value]) => value !== undefined))));

const specs = (config: StackConfig): Record<string, SecretParameterSpec> => {
  const names = parameterNames(config.stack);
  const { warehouse, delivery } = config.webhookSecrets;
  return {
    signingKeys: {
      name: names.signingKeys,
      value: json({ current: config.jwtSecret, previous: config.jwtPreviousSecret }),
      description: "Cartwright token signing keys (current, previous): set from the stack's Pulumi secrets",
      // Created by the Api component before the stack had its own key: the same parameter, not a new one.
      formerly: { name: "api-signing-keys", parentUrn: pulumi.createUrn("api", "cartwright:infra:Api") },
    },
    ...(config.stripe
      ? { stripe: { name: names.stripe, value: json({ secretKey: config.stripe.secretKey, webhookSecret: config.stripe.webhookSecret }), description: "Cartwright's Stripe secret key and webhook signing secret" } }
      : {}),
    ...(warehouse ?? delivery
      ? { partnerWebhooks: { name: names.partnerWebhooks, value: json({ warehouse, delivery }), description: "Each fulfilment partner's own webhook signing secret" } }
      : {}),
  };
};

/** Each parameter's ARN, known before the parameters exist: the readers' grants name them, and the key's policy names the readers. */
export const secretParameterArns = (config: StackConfig, account: pulumi.Output<string>) => {
  const parameters = specs(config);
  const arnOf = (short: string): pulumi.Output<string>[] =>
    parameters[short] === undefined ? [] : [pulumi.interpolate`arn:aws:ssm:${config.region}:${account}:parameter${parameters[short]!.name}`];
  return { signingKeys: arnOf("signingKeys"), stripe: arnOf("stripe"), partnerWebhooks: arnOf("partnerWebhooks") };
};

export interface SecretReaders {
  readonly api: pulumi.Input<string>;
  readonly sweeper: pulumi.Input<string>;
  readonly fulfilment: pulumi.Input<string>;
}

/** The stack's secrets key (its policy naming the deploy role and the readers' roles) and its parameters. */
export const stackSecrets = (config: StackConfig, account: pulumi.Output<string>, readers: SecretReaders, tags: Tags) => {
  const arns = secretParameterArns(config, account);
  return new Secrets("secrets", {
    keyAlias: `alias/cartwright-${config.stack}-app-secrets`,
    parameters: specs(config),
    deployRoleArn: pulumi.interpolate`arn:aws:iam::${account}:role/${deployRoleName(config.stack)}`,
    readers: [
      { sid: "ApiReadsSigningKeysAndStripe", roleArn: readers.api, parameterArns: [...arns.signingKeys, ...arns.stripe] },
      ...(arns.stripe.length > 0 ? [{ sid: "SweeperReadsStripe", roleArn: readers.sweeper, parameterArns: arns.stripe }] : []),
      ...(arns.partnerWebhooks.length > 0 ? [{ sid: "FulfilmentReadsPartnerSecrets", roleArn: readers.fulfilment, parameterArns: arns.partnerWebhooks }] : []),
    ],
    region: config.region,
    tags,
  });
};
