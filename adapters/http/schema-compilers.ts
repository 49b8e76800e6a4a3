/**
 * Effect Schemas decode requests (route.ts) and views are encoded before sending, so Fastify's own
 * compilers (Ajv, fast-json-stringify) are never needed: replacing them keeps them from loading.
 */
import type { FastifyServerOptions } from "fastify";

type Factories = NonNullable<NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]>;

const accept = () => true;
const stringify = (data: unknown) => JSON.stringify(data);

export const noCompilers = {
  compilersFactory: {
    // Fastify's types name Ajv's own function types; these factories never see Ajv.
    buildValidator: (() => () => accept) as unknown as Factories["buildValidator"],
    buildSerializer: (() => () => stringify) as unknown as Factories["buildSerializer"],
  },
} satisfies FastifyServerOptions["schemaController"];
