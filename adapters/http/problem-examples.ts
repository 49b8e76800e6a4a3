/**
 * One problem per documented error response of each operation, keyed by operationId: the refusal a client of
 * that operation most needs to handle, rendered by problems.ts exactly as the API sends it (a request the route's
 * schema refuses is decoded by the route's own decoder), so an example cannot drift from the real answer.
 */
import type { Schema } from "effect";
import {
  CartLineExpired,
  CartLineNotFound,
  CartVersionConflict,
  CheckoutPriceMismatch,
  InventoryInsufficientStock,
  InventoryStockBelowReserved,
  OrderNotFound,
  OrderNotPayable,
  OrderTransitionNotAllowed,
  PaginationCursorInvalid,
  PaymentProviderUnavailable,
  PaymentWebhookRejected,
  PersistenceUnavailable,
  ProductAlreadyExists,
  ProductImageLimitReached,
  ProductImageNotFound,
  ProductImageOrderInvalid,
  ProductImageUploadSettled,
  ProductImageUploadsDisabled,
  ProductNotFound,
  UserEmailTaken,
} from "../../domain/index.js";
import { decodePart } from "./decode.js";
import { AuthForbidden, AuthInvalidCredentials, AuthUnauthenticated } from "./errors.js";
import { type AppError, internalProblem, type Problem, toProblem } from "./problems.js";
import { AdminOrdersQuery, EventsQuery, InventoryQuery } from "./schemas.js";

/** What the route's own decoder answers to this query. */
const refusedQuery = <A, I>(schema: Schema.Schema<A, I>, query: Record<string, string>): AppError => {
  const decoded = decodePart(schema, "query", query);
  if (decoded._tag === "Right") throw new Error(`the query ${JSON.stringify(query)} decodes: not an example of a refusal`);
  return decoded.left;
};

const clientErrors = (): Readonly<Record<string, AppError>> => ({
  postAuthRegister: new UserEmailTaken({ email: "ada@example.com" }),
  postAuthLogin: new AuthInvalidCredentials(),
  getAuthMe: new AuthUnauthenticated({ reason: "invalid" }),
  getProducts: new PaginationCursorInvalid(),
  getProductsId: new ProductNotFound({ productId: "tea-gyokuro" }),
  getCart: new AuthUnauthenticated({ reason: "missing" }),
  postCartItems: new InventoryInsufficientStock({ productId: "tea-matcha", requested: 3, available: 2 }),
  putCartItemsProductId: new CartLineExpired({ productId: "tea-matcha", expiredAt: Date.parse("2025-05-12T09:45:00.000Z") }),
  deleteCartItemsProductId: new CartLineNotFound({ productId: "tea-sencha" }),
  deleteCart: new AuthUnauthenticated({ reason: "missing" }),
  postCartRenew: new CartVersionConflict({ productId: "tea-matcha" }),
  postOrders: new CheckoutPriceMismatch({ expectedAmount: 5780, expectedCurrency: "EUR", actualAmount: 6180, actualCurrency: "EUR" }),
  getOrders: new PaginationCursorInvalid(),
  getOrdersId: new OrderNotFound({ orderId: "ord_01hx7k2m9q" }),
  postOrdersIdCancel: new OrderTransitionNotAllowed({ orderId: "ord_01hx7k2m9q", from: "shipped", to: "cancelled" }),
  postOrdersIdPayment: new OrderNotPayable({ orderId: "ord_01hx7k2m9q", status: "cancelled" }),
  postAdminProducts: new ProductAlreadyExists({ productId: "tea-sencha" }),
  getAdminProducts: new AuthForbidden({ required: "admin" }),
  patchAdminProductsId: new ProductNotFound({ productId: "tea-sencha" }),
  postAdminProductsIdStock: new InventoryStockBelowReserved({ productId: "tea-sencha", stock: 40, reserved: 3, delta: -38 }),
  getAdminInventory: refusedQuery(InventoryQuery, { belowAvailable: "-1" }),
  getAdminOrders: refusedQuery(AdminOrdersQuery, { status: "lost" }),
  getAdminEvents: refusedQuery(EventsQuery, { type: "Nope" }),
  postAdminOrdersIdStatus: new OrderTransitionNotAllowed({ orderId: "ord_01hx7k2m9q", from: "placed", to: "delivered" }),
  postAdminProductsIdArchive: new ProductNotFound({ productId: "tea-sencha" }),
  postAdminProductsIdUnarchive: new ProductNotFound({ productId: "tea-sencha" }),
  postAdminProductsIdImages: new ProductImageLimitReached({ productId: "tea-sencha", max: 12 }),
  getAdminUploadsId: new ProductImageUploadSettled({ uploadId: "up_5d2c8e1f" }),
  deleteAdminProductsIdImagesImageId: new ProductImageNotFound({ productId: "tea-sencha", imageId: "a41f9c33" }),
  putAdminProductsIdImagesOrder: new ProductImageOrderInvalid({ productId: "tea-sencha", expected: ["b7c1e0d2", "a41f9c33"] }),
  postWebhooksPayments: new PaymentWebhookRejected({ reason: "the signature does not match the body" }),
});

// A route's own 5xx where it has one; otherwise the store's: a read failed (nothing changed), a write's outcome is unknown.
const serverErrors: Readonly<Record<string, AppError>> = {
  postOrdersIdPayment: new PaymentProviderUnavailable({ operation: "createPaymentIntent", message: "timeout" }),
  postAdminProductsIdImages: new ProductImageUploadsDisabled(),
};

let clientErrorsOnce: ReturnType<typeof clientErrors> | undefined;

/** Every operation named here (a test checks each still exists). */
export const problemExampleOperations = (): ReadonlyArray<string> => [...Object.keys((clientErrorsOnce ??= clientErrors())), ...Object.keys(serverErrors)];

/** The 4xx example of an operation, if it has one. */
export const clientProblemExample = (operationId: string): Problem | undefined => {
  const error = (clientErrorsOnce ??= clientErrors())[operationId];
  return error === undefined ? undefined : toProblem(error).problem;
};

/** The 5xx example of an operation: a defect for liveness (it reads nothing), else its own or the store's. */
export const serverProblemExample = (operationId: string, method: string): Problem => {
  if (operationId === "getHealth") return internalProblem;
  const own = serverErrors[operationId];
  if (own !== undefined) return toProblem(own).problem;
  const outcome = method === "GET" ? "not_applied" : "unknown";
  return toProblem(new PersistenceUnavailable({ operation: operationId, outcome })).problem;
};
