export {};

declare module "vitest" {
  export interface ProvidedContext {
    /** Endpoint of the run's shared in-memory DynamoDB Local; "" when it could not start. */
    dynamoEndpoint: string;
    /** Why DynamoDB Local could not start for this run; "" when it runs. */
    dynamoStartError: string;
  }
}
