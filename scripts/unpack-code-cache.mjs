// The deploy workflow's step between its two updates: writes the code cache a training invocation of the deployed
// API returned (`aws lambda invoke --payload '{"trainCodeCache":true}' <answer.json>`) into the built function's
// directory. Node's builtins only: it runs where the deploy role's credentials are, so no dependency code runs.
// The bootstrap checks the cache again at every cold start; this only refuses an answer that holds none.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const [answerFile, dir] = process.argv.slice(2);
if (!answerFile || !dir) {
  console.error("usage: node scripts/unpack-code-cache.mjs <answer.json> <function dir>");
  process.exit(2);
}
const answer = JSON.parse(readFileSync(answerFile, "utf8"));
if (typeof answer?.codeCache !== "string") {
  console.error(`not a training answer: ${JSON.stringify(answer).slice(0, 300)}`);
  process.exit(1);
}
const cache = gunzipSync(Buffer.from(answer.codeCache, "base64"));
if (!cache.subarray(0, 24).toString().startsWith("cartwright-code-cache/")) {
  console.error("the training answer holds no code cache");
  process.exit(1);
}
writeFileSync(join(dir, "app.cache"), cache);
console.log(`code cache: ${cache.length} bytes for Node ${answer.nodeVersion}; the instance that trained it had loaded with: ${answer.loadedWith}`);
