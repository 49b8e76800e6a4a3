/**
 * A typed client of the Cartwright API: openapi-fetch over the types `npm run client` generates (schema.d.ts).
 *   const api = cartwrightClient("http://localhost:3000");
 *   const { data, error } = await api.POST("/auth/login", { body: { email, password } });
 */
import createClient, { type ClientOptions } from "openapi-fetch";
import type { paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

export const cartwrightClient = (baseUrl: string, options: Omit<ClientOptions, "baseUrl"> = {}) => createClient<paths>({ ...options, baseUrl });
