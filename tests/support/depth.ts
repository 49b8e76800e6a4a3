/**
 * How many generated cases a model-based or interleaving test on DynamoDB Local runs: a quick count in
 * `npm test` (CI's budget on 2 cores), `TEST_DEPTH=deep npm test` for the deep one; a test's own variable wins.
 */
export const runs = (quick: number, options: { readonly deep: number; readonly env: string }): number => {
  const own = process.env[options.env];
  if (own !== undefined && own !== "") return Number(own);
  return process.env["TEST_DEPTH"] === "deep" ? options.deep : quick;
};
