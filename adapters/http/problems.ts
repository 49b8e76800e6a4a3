/**
 * The one place where failures become HTTP: every tagged error the domain exports and every
 * error the HTTP adapter raises has an entry, so a new tag without one fails the type check.
 */
import type * as Domain from "../../domain/index.js";
import type { HttpError } from "./errors.js";

type ErrorOf<T> = T extends abstract new (...args: never) => infer I ? (I extends Error & { readonly _tag: string } ? I : never) : never;
/** Every tagged error class exported by the domain, found by type: nothing to keep in sync by hand. */
export type DomainError = { [K in keyof typeof Domain]: ErrorOf<(typeof Domain)[K]> }[keyof typeof Domain];
export type AppError = DomainError | HttpError;
export type AppErrorTag = AppError["_tag"];

/** RFC 9457 problem details, plus a stable machine-readable `code` and the offending `field`. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly field?: string;
  readonly in?: string;
}

interface Spec<E> {
  readonly status: number;
  readonly code: string;
  /** A code (and type) that depends on the error, where one tag has cases a client must tell apart. */
  readonly codeOf?: (e: E) => string;
  readonly title: string;
  readonly detail: (e: E) => string;
  readonly field?: (e: E) => string;
  readonly retryAfterSeconds?: (e: E) => number;
}

type Specs = { readonly [T in AppErrorTag]: Spec<Extract<AppError, { readonly _tag: T }>> };

const iso = (ms: number) => new Date(ms).toISOString();
const outcomeUnknown = "store_outcome_unknown";
const outcomeUnknownDetail =
  "The store did not confirm this change in time: it may have been applied. Retry with the same Idempotency-Key to get what committed (it is never applied twice); without a key, check the resource before repeating the change.";
const retry = 409;

const specs: Specs = {
  // Cart
  CartQuantityOutOfRange: { status: 422, code: "quantity_out_of_range", title: "Quantity out of range", field: () => "quantity", detail: (e) => `A line holds ${e.min} to ${e.max} units; ${e.quantity} asked for product ${e.productId}.` },
  CartLineLimitExceeded: { status: 409, code: "cart_line_limit", title: "Too many cart lines", detail: (e) => `A cart holds at most ${e.limit} different products; remove a line first.` },
  CartHoldLimitExceeded: { status: 409, code: "hold_limit_exceeded", title: "Hold limit reached", field: () => "quantity", detail: (e) => `One customer may hold at most ${e.limit} unit(s) of product ${e.productId} at once; this would hold ${e.requested}. Lower the quantity, or check out and pay for what you hold first.` },
  CartLineNotFound: { status: 404, code: "cart_line_not_found", title: "Not in the cart", field: () => "productId", detail: (e) => `Product ${e.productId} is not in the cart.` },
  CartLineExpired: { status: 409, code: "cart_line_expired", title: "Cart line expired", field: () => "productId", detail: (e) => `The hold on product ${e.productId} expired at ${iso(e.expiredAt)}; renew the cart (POST /api/cart/renew) to re-reserve it at the current price.` },
  CartCurrencyMismatch: { status: 409, code: "cart_currency_mismatch", title: "Currency mismatch", field: () => "productId", detail: (e) => `The cart is in ${e.cartCurrency}; product ${e.productId} is now priced in ${e.productCurrency}. A cart holds one currency: remove the line (or empty the cart) to buy it in ${e.productCurrency}.` },
  CartVersionConflict: { status: retry, code: "cart_conflict", title: "Cart changed concurrently", retryAfterSeconds: () => 1, detail: () => "The cart changed while this request ran; retry it." },
  CartConcurrentModification: { status: retry, code: "cart_conflict", title: "Cart changed concurrently", retryAfterSeconds: () => 1, detail: () => "The cart kept changing while this request ran; retry it." },
  HoldNotExpired: { status: 409, code: "hold_not_expired", title: "Hold not expired", detail: (e) => `The hold on product ${e.productId} lasts until ${iso(e.expiresAt)}.` },
  HoldAlreadyReleased: { status: 409, code: "hold_already_released", title: "Hold already released", detail: (e) => `The hold on product ${e.productId} was already released.` },
  // Checkout
  CheckoutUnpaidOrdersLimit: { status: 409, code: "unpaid_orders_limit", title: "Too many unpaid orders", detail: (e) => `You have ${e.limit} order(s) waiting for payment: pay one (POST /api/orders/{id}/payment) or cancel one (POST /api/orders/{id}/cancel) before placing another. Your cart is kept.` },
  CheckoutEmptyCart: { status: 409, code: "cart_empty", title: "Cart is empty", detail: () => "There is nothing in the cart to check out." },
  CheckoutHoldExpired: { status: 409, code: "checkout_hold_expired", title: "Cart holds expired", detail: (e) => `The holds on ${e.productIds.join(", ")} expired; renew the cart (POST /api/cart/renew), review the prices, then check out again.` },
  CheckoutPriceMismatch: { status: 409, code: "checkout_price_mismatch", title: "Total changed", field: () => "expectedTotal", detail: (e) => `You confirmed ${e.expectedAmount} ${e.expectedCurrency} (minor units) but the cart totals ${e.actualAmount} ${e.actualCurrency}; review the cart.` },
  CheckoutCartChanged: { status: retry, code: "checkout_cart_changed", title: "Cart changed during checkout", retryAfterSeconds: () => 1, detail: () => "The cart changed while checking out; review it and retry with the same Idempotency-Key." },
  IdempotencyKeyReused: { status: 409, code: "idempotency_key_reused", title: "Idempotency key reused", field: () => "Idempotency-Key", detail: () => "This Idempotency-Key was already used for a different request (another cart, product or quantity); send a new key with each new request." },
  IdempotencyKeyTaken: { status: retry, code: "idempotency_key_in_use", title: "Request in progress", field: () => "Idempotency-Key", retryAfterSeconds: () => 1, detail: () => "A request with this Idempotency-Key is in progress; retry shortly with the same key." },
  // Inventory
  InventoryInsufficientStock: { status: 409, code: "insufficient_stock", title: "Not enough stock", field: () => "quantity", detail: (e) => `Only ${e.available} unit(s) of product ${e.productId} are available; ${e.requested} requested.` },
  InventoryStockBelowReserved: { status: 409, code: "stock_below_reserved", title: "Stock would drop below reserved", field: () => "delta", detail: (e) => `Stock ${e.stock} ${e.delta < 0 ? "-" : "+"} ${Math.abs(e.delta)} would fall below the ${e.reserved} unit(s) held by carts.` },
  InventoryStockOutOfRange: { status: 422, code: "stock_out_of_range", title: "Stock out of range", field: () => "delta", detail: (e) => `Stock ${e.stock} ${e.delta < 0 ? "-" : "+"} ${Math.abs(e.delta)} of product ${e.productId} would leave the range 0 to ${e.max}.` },
  InventoryCountersInvalid: { status: 500, code: "internal_error", title: "Internal error", detail: () => "Something went wrong on our side." },
  ProductNotFound: { status: 404, code: "product_not_found", title: "Product not found", field: () => "productId", detail: (e) => `No product ${e.productId}.` },
  ProductArchived: { status: 409, code: "product_archived", title: "Product archived", field: () => "productId", detail: (e) => `Product ${e.productId} is archived: it is no longer sold (holds taken before it was archived keep their units until they lapse).` },
  ProductImageLimitReached: { status: 409, code: "image_limit", title: "Too many images", detail: (e) => `Product ${e.productId} has its ${e.max} images; remove one first.` },
  ProductImageNotFound: { status: 404, code: "image_not_found", title: "Image not found", field: () => "imageId", detail: (e) => `Product ${e.productId} has no image ${e.imageId}.` },
  ProductImageOrderInvalid: { status: 422, code: "image_order_invalid", title: "Invalid image order", field: () => "order", detail: (e) => `Name each of the product's images once: ${e.expected.join(", ")}.` },
  ProductImagesChanged: { status: retry, code: "images_conflict", title: "Images changed concurrently", retryAfterSeconds: () => 1, detail: (e) => `The images of product ${e.productId} changed while this request ran; nothing was changed. Retry it.` },
  ProductImageUploadSettled: { status: 409, code: "upload_settled", title: "Upload already settled", detail: (e) => `Upload ${e.uploadId} is not waiting for a file.` },
  ProductImageUploadsDisabled: { status: 503, code: "uploads_disabled", title: "Uploads unavailable", retryAfterSeconds: () => 60, detail: () => "This deployment has no media bucket configured; nothing was changed." },
  // Only the image sweep deletes files; no route answers this, but every domain error has its problem.
  ProductImageStorageUnavailable: { status: 503, code: "media_storage_unavailable", title: "Media storage unavailable", retryAfterSeconds: () => 60, detail: () => "The media bucket did not answer; nothing was changed." },
  ProductAlreadyExists: { status: 409, code: "product_exists", title: "Product already exists", field: () => "id", detail: (e) => `A product ${e.productId} already exists.` },
  // Orders
  OrderNotFound: { status: 404, code: "order_not_found", title: "Order not found", field: () => "id", detail: (e) => `No order ${e.orderId}.` },
  // A retry of a move that committed meets the status it set: say so, rather than "cannot go from X to X".
  OrderTransitionNotAllowed: { status: 409, code: "order_transition_not_allowed", title: "Status change not allowed", field: () => "status", detail: (e) => (e.from === e.to ? `Order ${e.orderId} is already ${e.to}; nothing was changed.` : `Order ${e.orderId} cannot go from ${e.from} to ${e.to}.`) },
  OrderTransitionForbidden: { status: 403, code: "order_transition_forbidden", title: "Status change forbidden", field: () => "status", detail: (e) => `A ${e.role} may not move order ${e.orderId} to ${e.to}.` },
  OrderStatusConflict: { status: retry, code: "order_conflict", title: "Order changed concurrently", retryAfterSeconds: () => 1, detail: (e) => `Order ${e.orderId} changed while this request ran; retry it.` },
  // Payments
  OrderNotPayable: { status: 409, code: "order_not_payable", title: "Order not payable", field: () => "id", detail: (e) => `Order ${e.orderId} is ${e.status}; only a placed order can be paid.` },
  ManualPaymentDisabled: { status: 409, code: "manual_payment_disabled", title: "Payments come from the provider", field: () => "status", detail: (e) => `Order ${e.orderId} becomes paid when its payment succeeds; marking it paid by hand is off on this stack.` },
  PaymentAlreadySucceeded: { status: 409, code: "payment_already_succeeded", title: "Already paid by card", field: () => "status", detail: (e) => `Order ${e.orderId}'s card payment ${e.paymentId} has succeeded; the order becomes paid when the provider's confirmation arrives. Nothing was changed.` },
  PaymentWebhookRejected: { status: 400, code: "webhook_rejected", title: "Webhook not verified", field: () => "Stripe-Signature", detail: (e) => `The webhook was not applied: ${e.reason}.` },
  PaymentProviderUnavailable: { status: 503, code: "payment_provider_unavailable", title: "Payment provider unavailable", retryAfterSeconds: () => 5, detail: () => "The payment provider could not be reached; nothing was charged or changed. Retry shortly." },
  // Recorded by the webhook use case, never thrown to a route: listed so every tag has an entry.
  PaymentNotOfOrder: { status: 409, code: "payment_not_of_order", title: "Not the order's payment", detail: (e) => `Payment ${e.paymentId} is not order ${e.orderId}'s.` },
  PaymentAmountMismatch: { status: 409, code: "payment_amount_mismatch", title: "Payment amount mismatch", detail: (e) => `Order ${e.orderId} expects ${e.expected}; the payment is ${e.received}.` },
  PaymentEventDuplicate: { status: 200, code: "duplicate", title: "Already applied", detail: (e) => `Event ${e.eventId} was already applied.` },
  // Notifications: consumers' failures, never raised by a route
  NotificationFailed: { status: 500, code: "internal_error", title: "Internal error", detail: () => "Something went wrong on our side." },
  MailUndelivered: { status: 500, code: "internal_error", title: "Internal error", detail: () => "Something went wrong on our side." },
  NotificationBusy: { status: 500, code: "internal_error", title: "Internal error", detail: () => "Something went wrong on our side." },
  NotificationOutOfOrder: { status: 500, code: "internal_error", title: "Internal error", detail: () => "Something went wrong on our side." },
  NotificationOutOfTime: { status: 500, code: "internal_error", title: "Internal error", detail: () => "Something went wrong on our side." },
  // Shared
  // "Nothing was changed" only where certain: a write sent without an answer may have committed.
  PersistenceUnavailable: {
    status: 503,
    code: "store_unavailable",
    codeOf: (e) => (e.outcome === "unknown" ? outcomeUnknown : "store_unavailable"),
    title: "Service unavailable",
    retryAfterSeconds: () => 2,
    detail: (e) => (e.outcome === "unknown" ? outcomeUnknownDetail : "The store is unavailable; nothing was changed. Retry shortly."),
  },
  PaginationCursorInvalid: { status: 400, code: "cursor_invalid", title: "Invalid cursor", field: () => "cursor", detail: () => "The cursor was not issued for this listing; start again without it." },
  // Users and money
  UserEmailTaken: { status: 409, code: "email_taken", title: "Email already registered", field: () => "email", detail: () => "An account with this email already exists; log in instead." },
  TooManyAttempts: { status: 429, code: "rate_limited", title: "Too many requests", retryAfterSeconds: (e) => e.retryAfterSeconds, detail: (e) => `Too many attempts; retry in ${e.retryAfterSeconds} s.` },
  UserNameInvalid: { status: 422, code: "invalid_name", title: "Invalid name", field: () => "name", detail: (e) => `A name is one line of 1 to ${e.maxLength} characters of plain text: no line breaks or control characters.` },
  UserNotFound: { status: 404, code: "user_not_found", title: "User not found", detail: () => "No such user." },
  MoneyCurrencyMismatch: { status: 409, code: "currency_mismatch", title: "Currency mismatch", detail: (e) => `Expected ${e.expected}, got ${e.actual}.` },
  MoneyOutOfRange: { status: 422, code: "amount_out_of_range", title: "Amount out of range", detail: () => "The amount is outside the supported range." },
  // HTTP adapter
  RequestInvalid: { status: 400, code: "invalid_request", title: "Invalid request", field: (e) => e.field, detail: (e) => e.message },
  RequestMalformedJson: { status: 400, code: "malformed_json", title: "Malformed JSON", detail: () => "The body is not valid JSON." },
  RequestBodyTooLarge: { status: 413, code: "body_too_large", title: "Body too large", detail: (e) => `Bodies are limited to ${e.limitBytes} bytes.` },
  RequestBodyTooDeep: { status: 400, code: "body_too_deep", title: "Body nested too deep", detail: (e) => `Arrays and objects may nest at most ${e.maxDepth} levels deep.` },
  RequestMediaTypeUnsupported: { status: 415, code: "unsupported_media_type", title: "Unsupported media type", detail: (e) => `Send application/json, not ${e.contentType || "this content type"}.` },
  RequestRejected: { status: 400, code: "bad_request", title: "Bad request", detail: (e) => e.reason },
  RouteNotFound: { status: 404, code: "route_not_found", title: "Not found", detail: (e) => `No route ${e.method} ${e.path}.` },
  AuthUnauthenticated: { status: 401, code: "unauthenticated", title: "Authentication required", detail: (e) => (e.reason === "missing" ? "Send Authorization: Bearer <token>." : "The token is invalid or expired; log in again.") },
  SigningKeysUnavailable: { status: 503, code: "signing_keys_unavailable", title: "Service unavailable", retryAfterSeconds: () => 2, detail: () => "Tokens cannot be checked right now; nothing was changed. Retry shortly." },
  AuthForbidden: { status: 403, code: "forbidden", title: "Forbidden", detail: (e) => `This route needs the ${e.required} role.` },
  IdentityManagedExternally: {
    status: 403,
    code: "accounts_managed_by_cognito",
    title: "Sign in with the user pool",
    detail: (e) =>
      `Accounts on this stack are Amazon Cognito's: sign up, verify, sign in and reset passwords with user pool ${e.userPoolId} (app client ${e.clientId}, region ${e.region})${e.signInUrl === undefined ? "" : ` or at ${e.signInUrl}`}, then send its access token as Authorization: Bearer <token>.`,
  },
  IdentityProviderUnavailable: {
    status: 503,
    code: "signing_keys_unavailable",
    codeOf: (e) => (e.provider === "built-in" ? "signing_keys_unavailable" : "identity_provider_unavailable"),
    title: "Service unavailable",
    retryAfterSeconds: () => 2,
    detail: () => "Tokens cannot be checked right now; nothing was changed. Retry shortly.",
  },
  AuthInvalidCredentials: { status: 401, code: "invalid_credentials", title: "Invalid credentials", detail: () => "Wrong email or password." },
};

const typeUri = (code: string) => `urn:cartwright:problem:${code}`;

export interface RenderedProblem {
  readonly problem: Problem;
  readonly headers: Readonly<Record<string, string>>;
}

export const isAppError = (u: unknown): u is AppError =>
  u instanceof Error && "_tag" in u && typeof u._tag === "string" && Object.hasOwn(specs, u._tag);

const requestInvalidCode = (e: Extract<AppError, { _tag: "RequestInvalid" }>): string =>
  e.field === "" ? `${e.issue}_${e.in}` : { missing: "missing_field", unexpected: "unknown_field", invalid: "invalid_field" }[e.issue];

export const toProblem = (error: AppError): RenderedProblem => {
  const spec = specs[error._tag] as Spec<AppError>;
  const field = spec.field?.(error);
  const retryAfter = spec.retryAfterSeconds?.(error);
  const code = spec.codeOf?.(error) ?? spec.code;
  const problem: Problem = {
    type: typeUri(code),
    title: spec.title,
    status: spec.status,
    detail: spec.detail(error),
    code: error._tag === "RequestInvalid" ? requestInvalidCode(error) : code,
    ...(field === undefined || field === "" ? {} : { field }),
    ...(error._tag === "RequestInvalid" ? { in: error.in } : {}),
  };
  const headers: Record<string, string> = {};
  if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
  if (error._tag === "AuthUnauthenticated" || error._tag === "AuthInvalidCredentials") headers["www-authenticate"] = "Bearer";
  return { problem, headers };
};

/** A defect: a bug or an unexpected failure. Nothing about it reaches the client. */
export const internalProblem: Problem = {
  type: typeUri("internal_error"),
  title: "Internal error",
  status: 500,
  detail: "Something went wrong on our side.",
  code: "internal_error",
};

export const problemContentType = "application/problem+json";
