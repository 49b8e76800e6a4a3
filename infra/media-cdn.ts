/** The media bucket's CDN (part of the Media component): CloudFront with an Origin Access Control, and the bucket policy that admits only it. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface CdnArgs {
  bucketName: pulumi.Input<string>;
  priceClass: pulumi.Input<string>;
  tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export const cdn = (parent: pulumi.Resource, name: string, args: CdnArgs, bucket: aws.s3.Bucket) => {
  const oac = new aws.cloudfront.OriginAccessControl(
    `${name}-oac`,
    { name: args.bucketName, originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
    { parent },
  );
  return new aws.cloudfront.Distribution(
    `${name}-cdn`,
    {
      enabled: true,
      priceClass: args.priceClass,
      origins: [{ originId: "media", domainName: bucket.bucketRegionalDomainName, originAccessControlId: oac.id }],
      defaultCacheBehavior: {
        targetOriginId: "media",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachedMethods: ["GET", "HEAD"],
        // AWS's managed CachingOptimized policy: keys are content-addressed, so objects never change.
        cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        // AWS's managed SecurityHeadersPolicy: nosniff (a file is only ever its declared type), HSTS, frame options.
        responseHeadersPolicyId: "67f7725c-6f97-4210-82d7-5512b31e9d03",
        compress: false,
      },
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
      tags: args.tags,
    },
    { parent },
  );
};

/** Only this distribution may read, and only under `readable` (the variants): uploads are never served. Nobody reaches it without TLS. */
export const bucketPolicy = (parent: pulumi.Resource, name: string, bucket: aws.s3.Bucket, distribution: aws.cloudfront.Distribution, readable: string) =>
  new aws.s3.BucketPolicy(
    `${name}-policy`,
    {
      bucket: bucket.id,
      policy: pulumi.all([bucket.arn, distribution.arn]).apply(([bucketArn, distributionArn]) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "CloudFrontReadsVariants",
              Effect: "Allow",
              Principal: { Service: "cloudfront.amazonaws.com" },
              Action: "s3:GetObject",
              Resource: `${bucketArn}/${readable}*`,
              Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
            },
            {
              Sid: "DenyWithoutTls",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [bucketArn, `${bucketArn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      ),
    },
    { parent },
  );
