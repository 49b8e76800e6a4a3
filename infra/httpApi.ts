/** The API Gateway HTTP API in front of the API function, as small steps the Api component calls. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ApiArgs } from "./api.js";
import { corsPolicy } from "../adapters/http/cors.js";

type HttpApiSettings = Pick<
  ApiArgs,
  "httpApiName" | "corsOrigins" | "accessLogGroupName" | "logRetentionDays" | "throttleRatePerSecond" | "throttleBurst" | "tags"
>;

const accessLogFormat = JSON.stringify({
  requestId: "$context.requestId",
  ip: "$context.identity.sourceIp",
  requestTime: "$context.requestTime",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseLength: "$context.responseLength",
  latencyMs: "$context.responseLatency",
  integrationError: "$context.integrationErrorMessage",
});

export const httpApiWithCors = (parent: pulumi.Resource, name: string, args: HttpApiSettings) =>
  new aws.apigatewayv2.Api(
    `${name}-http`,
    {
      name: args.httpApiName,
      protocolType: "HTTP",
      // API Gateway answers preflights and replaces the app's CORS headers: the same policy as the app's.
      corsConfiguration: {
        allowOrigins: args.corsOrigins,
        allowMethods: [...corsPolicy.methods],
        allowHeaders: [...corsPolicy.allowedHeaders],
        exposeHeaders: [...corsPolicy.exposedHeaders],
        maxAge: corsPolicy.maxAgeSeconds,
      },
      tags: args.tags,
    },
    { parent },
  );

export const proxyIntegration = (parent: pulumi.Resource, name: string, api: aws.apigatewayv2.Api, fn: aws.lambda.Function) =>
  new aws.apigatewayv2.Integration(
    `${name}-integration`,
    { apiId: api.id, integrationType: "AWS_PROXY", integrationUri: fn.invokeArn, integrationMethod: "POST", payloadFormatVersion: "2.0" },
    { parent },
  );

export const defaultRoute = (parent: pulumi.Resource, name: string, api: aws.apigatewayv2.Api, integration: aws.apigatewayv2.Integration) =>
  new aws.apigatewayv2.Route(
    `${name}-route`,
    { apiId: api.id, routeKey: "$default", target: pulumi.interpolate`integrations/${integration.id}` },
    { parent },
  );

export const accessLogGroup = (parent: pulumi.Resource, name: string, args: HttpApiSettings) =>
  new aws.cloudwatch.LogGroup(
    `${name}-access-logs`,
    { name: args.accessLogGroupName, retentionInDays: args.logRetentionDays, tags: args.tags },
    { parent },
  );

export const defaultStage = (
  parent: pulumi.Resource,
  name: string,
  args: HttpApiSettings,
  api: aws.apigatewayv2.Api,
  accessLogs: aws.cloudwatch.LogGroup,
) =>
  new aws.apigatewayv2.Stage(
    `${name}-stage`,
    {
      apiId: api.id,
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: args.throttleRatePerSecond, throttlingBurstLimit: args.throttleBurst },
      accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat },
      tags: args.tags,
    },
    { parent },
  );

export const allowInvokeFromApi = (parent: pulumi.Resource, name: string, api: aws.apigatewayv2.Api, fn: aws.lambda.Function) =>
  new aws.lambda.Permission(
    `${name}-invoke`,
    { action: "lambda:InvokeFunction", function: fn.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*/*` },
    { parent },
  );
