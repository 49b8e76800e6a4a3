import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { VpcAttachment } from "./lambda.js";

export interface NetworkArgs {
  /** The VPC's address range. */
  cidrBlock: string;
  /** How many availability zones get an isolated subnet (plain: it shapes the layout). */
  availabilityZones: number;
  /** The region, for the DynamoDB gateway endpoint's service name. */
  region: string;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * A VPC with isolated subnets only: no NAT gateway (about $33/month each), and DynamoDB
 * reached through a free gateway endpoint, which is all the functions talk to.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly attachment: VpcAttachment;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cartwright:infra:Network", name, {}, opts);
    const vpc = isolatedVpc(this, name, args);
    const securityGroup = dynamoOnlySecurityGroup(this, name, args, vpc);
    ssmEndpoint(this, name, args, vpc, securityGroup);
    this.vpcId = vpc.vpcId;
    this.attachment = { subnetIds: vpc.isolatedSubnetIds, securityGroupIds: [securityGroup.id] };
    this.registerOutputs({ vpcId: this.vpcId });
  }
}

const dynamoService = (region: string) => `com.amazonaws.${region}.dynamodb`;

const isolatedVpc = (parent: pulumi.Resource, name: string, args: NetworkArgs) =>
  new awsx.ec2.Vpc(
    `${name}-vpc`,
    {
      cidrBlock: args.cidrBlock,
      numberOfAvailabilityZones: args.availabilityZones,
      natGateways: { strategy: awsx.ec2.NatGatewayStrategy.None },
      subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
      subnetSpecs: [{ type: awsx.ec2.SubnetType.Isolated, cidrMask: 24 }],
      // Auto wires the gateway endpoint into the subnets' route tables.
      vpcEndpointStrategy: awsx.ec2.VpcEndpointStrategy.Auto,
      vpcEndpointSpecs: [{ serviceName: dynamoService(args.region), vpcEndpointType: "Gateway", tags: args.tags }],
      enableDnsHostnames: true,
      tags: args.tags,
    },
    { parent },
  );

const dynamoOnlySecurityGroup = (parent: pulumi.Resource, name: string, args: NetworkArgs, vpc: awsx.ec2.Vpc) => {
  const dynamo = aws.ec2.getManagedPrefixListOutput({ name: dynamoService(args.region) }, { parent });
  return new aws.ec2.SecurityGroup(
    `${name}-functions`,
    {
      vpcId: vpc.vpcId,
      description: "Cartwright functions: HTTPS to DynamoDB and to the VPC's own endpoints only",
      egress: [
        { protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [dynamo.id] },
        // The SSM interface endpoint (signing keys) has its addresses inside the VPC.
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.cidrBlock] },
      ],
      tags: args.tags,
    },
    { parent },
  );
};

/**
 * SSM, reached privately: the API reads its signing keys at cold start and the VPC has no NAT. An interface
 * endpoint costs per hour and AZ (the plan prices it); only the functions' security group may use it.
 */
const ssmEndpoint = (parent: pulumi.Resource, name: string, args: NetworkArgs, vpc: awsx.ec2.Vpc, functions: aws.ec2.SecurityGroup) => {
  const endpoints = new aws.ec2.SecurityGroup(
    `${name}-endpoints`,
    {
      vpcId: vpc.vpcId,
      description: "Cartwright interface endpoints: HTTPS from the functions only",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [functions.id] }],
      tags: args.tags,
    },
    { parent },
  );
  return new aws.ec2.VpcEndpoint(
    `${name}-ssm`,
    {
      vpcId: vpc.vpcId,
      serviceName: `com.amazonaws.${args.region}.ssm`,
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: vpc.isolatedSubnetIds,
      securityGroupIds: [endpoints.id],
      tags: args.tags,
    },
    { parent },
  );
};
