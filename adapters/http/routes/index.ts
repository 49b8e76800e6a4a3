import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "../route.js";
import { adminRoutes } from "./admin.js";
import { adminCatalogRoutes } from "./admin-catalog.js";
import { authRoutes, type AuthRouteOptions } from "./auth.js";
import { cartRoutes } from "./cart.js";
import { healthRoutes } from "./health.js";
import { orderRoutes } from "./orders.js";
import { paymentRoutes } from "./payments.js";
import { productRoutes } from "./products.js";
import { imageRoutes } from "./images.js";

/** Every API route; the app serves them, the docs app only describes them. */
export const declareRoutes = (app: FastifyInstance, deps: RouteDeps, auth: AuthRouteOptions): void => {
  healthRoutes(app, deps);
  authRoutes(app, deps, auth);
  productRoutes(app, deps);
  cartRoutes(app, deps);
  orderRoutes(app, deps);
  paymentRoutes(app, deps);
  adminRoutes(app, deps);
  adminCatalogRoutes(app, deps);
  imageRoutes(app, deps);
};
