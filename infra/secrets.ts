import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecretParameterSpec {
  /** The parameter's name, `/cartwright/<stack>/<what>`. */
  readonly name: string;
  /** Its value; pass a Pulumi secret. */
  readonly value: pulumi.Input<string>;
  readonly description: string;
  /** The resource name it had before this component (kept as an alias so the parameter is not replaced). */
  readonly formerly?: { readonly name: string; readonly parentUrn: pulumi.Input<string> };
}

export interface SecretsArgs {
  /** The alias of the stack's application secrets key, `alias/cartwright-<stack>-app-secrets`. */
  keyAlias: string;
  /** The SecureString parameters to create under that key, by a short name. */
  parameters: Readonly<Record<string, SecretParameterSpec>>;
  /** The role that deploys the stack: administers the key and writes the parameters (it holds their values already). */
  deployRoleArn: pulumi.Input<string>;
  /** Each reader role and the parameter ARNs it may decrypt (through SSM only). */
  readers: ReadonlyArray<{ readonly sid: string; readonly roleArn: pulumi.Input<string>; readonly parameterArns: ReadonlyArray<pulumi.Input<string>> }>;
  region: string;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The stack's application secrets: SecureString parameters under a customer-managed KMS key of the stack's own.
 * Unlike the account's `aws/ssm` key (which decrypts for any principal allowed ssm:GetParameter), this key's
 * policy names its principals: the deploy role, which administers it, and each reader for its own parameters.
 * No account-root statement, so no IAM policy in the account can grant more; the deploy role's own IAM policy
 * needs no key permissions beyond creating it (infra/deploy-policy.ts).
 */
export class Secrets extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly parameterNames: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Secrets", name, {}, opts);
    const key = secretsKey(this, name, args);
    new aws.kms.Alias(`${name}-key-alias`, { name: args.keyAlias, targetKeyId: key.keyId }, { parent: this });
    this.parameterNames = Object.fromEntries(Object.entries(args.parameters).map(([short, spec]) => [short, secureParameter(this, `${name}-${short}`, spec, key, args).name]));
    this.keyArn = key.arn;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}

const secretsKey = (parent: pulumi.Resource, name: string, args: SecretsArgs) =>
  new aws.kms.Key(
    `${name}-key`,
    {
      description: `Cartwright application secrets (${args.keyAlias})`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: keyPolicy(args),
      tags: args.tags,
    },
    { parent },
  );

const secureParameter = (parent: pulumi.Resource, name: string, spec: SecretParameterSpec, key: aws.kms.Key, args: SecretsArgs) =>
  new aws.ssm.Parameter(
    name,
    { name: spec.name, type: "SecureString", keyId: key.arn, description: spec.description, value: pulumi.secret(spec.value), tags: args.tags },
    { parent, ...(spec.formerly ? { aliases: [{ name: spec.formerly.name, parent: spec.formerly.parentUrn }] } : {}) },
  );

/** Key administration for the deploy role; kms:Decrypt through SSM for each reader, on its own parameters only. */
const keyPolicy = (args: SecretsArgs): pulumi.Output<string> => {
  const viaSsm = `ssm.${args.region}.amazonaws.com`;
  const readers = pulumi.all(args.readers.map((r) => pulumi.all([r.roleArn, pulumi.all([...r.parameterArns])]).apply(([roleArn, arns]) => ({ sid: r.sid, roleArn, arns }))));
  return pulumi.all([args.deployRoleArn, readers]).apply(([deployRoleArn, rs]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "DeployRoleAdministers", Effect: "Allow", Principal: { AWS: deployRoleArn }, Action: keyAdministration, Resource: "*" },
        {
          Sid: "DeployRoleWritesParameters",
          Effect: "Allow",
          Principal: { AWS: deployRoleArn },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: { StringEquals: { "kms:ViaService": viaSsm } },
        },
        ...rs.map((r) => ({
          Sid: r.sid,
          Effect: "Allow",
          Principal: { AWS: r.roleArn },
          Action: ["kms:Decrypt"],
          Resource: "*",
          // SSM encrypts each SecureString with its ARN as the encryption context: a reader decrypts its parameters only.
          Condition: { StringEquals: { "kms:ViaService": viaSsm, "kms:EncryptionContext:PARAMETER_ARN": r.arns } },
        })),
      ],
    }),
  );
};

/** What administering the key takes, without using it (no Decrypt here). */
export const keyAdministration = [
  "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:ListResourceTags",
  "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias",
];
