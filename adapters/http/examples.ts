/**
 * One request example per operation with a body, keyed by operationId, shown in the spec (and so in Swagger UI and
 * generated clients' docs). openapi.ts decodes each with its route's schema, so an example that drifts fails the docs.
 */
export const requestExamples: Readonly<Record<string, unknown>> = {
  postAuthRegister: { email: "ada@example.com", password: "correct-horse-battery", name: "Ada Lovelace" },
  postAuthLogin: { email: "shopper@example.com", password: "shopper-password" },
  postCartItems: { productId: "tea-matcha", quantity: 2 },
  putCartItemsProductId: { quantity: 3 },
  postOrders: { expectedTotal: { amount: 2400, currency: "EUR" } },
  postAdminProducts: { id: "tea-sencha", name: "Sencha, 100 g", category: "tea", description: "Steamed green tea", price: { amount: 1250, currency: "EUR" }, stock: 40 },
  patchAdminProductsId: { price: { amount: 1350, currency: "EUR" } },
  postAdminProductsIdStock: { delta: 24 },
  postAdminOrdersIdStatus: { status: "packed" },
  postAdminProductsIdImages: { contentType: "image/jpeg", alt: "A tin of sencha, lid open" },
  putAdminProductsIdImagesOrder: { order: ["b7c1e0d2", "a41f9c33"] },
};
