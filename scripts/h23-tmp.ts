import { buildLambdas } from "./build.js";
const t=Date.now();
try { const [r] = await buildLambdas({ only: ["api"], outDir: "/work/wt-h23/dist/h23" });
console.log(Date.now()-t, r!.file, r!.bytes, r!.gzipBytes, r!.lazyBytes); } catch (e) { console.log(String(e).slice(0, 2000)); }
