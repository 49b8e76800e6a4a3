/**
 * NODE_OPTIONS of every deployed function (read by infra/lambda.ts and by `npm run bench:lambda`, which
 * measures as deployed). None: `--enable-source-maps` made Node read every bundle's map at each cold start
 * (~100 ms); logged defects map their stacks on demand instead (adapters/http/mapped-stacks.ts).
 */
export const deployedNodeOptions = "";
