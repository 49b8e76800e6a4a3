/**
 * Test files that change what a whole process shares: they set `process.env`, import the Lambda entry
 * (adapters/lambda/api.ts switches the deadline to one request at a time) or switch the deadline's context.
 * vitest.config.ts runs each of them in a fresh worker; every other file shares its worker's loaded modules.
 * tests/isolation.test.ts keeps this list complete.
 */
export const processWide = [
  "tests/dynamodb/local.test.ts",
  "tests/http/deadline-context.test.ts",
  "tests/http/deadline.test.ts",
  "tests/http/signing-keys.test.ts",
  "tests/http/token-rotation.test.ts",
  "tests/lambda/*.test.ts",
  "tests/local/pages.test.ts",
  "tests/payments/stripe-keys.test.ts",
];
