/** The part of @20minutes/s3rver (no types of its own) that the local media stand-in uses. */
declare module "@20minutes/s3rver" {
  import type { Server } from "node:http";
  interface S3rverOptions {
    readonly port?: number;
    readonly address?: string;
    readonly silent?: boolean;
    readonly directory?: string;
    readonly configureBuckets?: ReadonlyArray<{ readonly name: string }>;
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ port: number }>;
    close(): Promise<void>;
    on(event: "event", listener: (event: any) => void): this;
    httpServer?: Server;
  }
}
