/**
 * `npm run build`: bundles the Lambdas with esbuild into dist/lambda/<function>/, node22, minified, with source
 * map files. The API: a bootstrap (index.cjs) and one CommonJS bundle (app.js) with the AWS SDK in it, loaded
 * through a V8 code cache once one is trained (scripts/build-cached.ts), and Swagger UI's assets beside it.
 * The others: index.mjs (ESM), @aws-sdk/* left to the nodejs22.x runtime; `--bundle-sdk` bundles it instead.
 * The image validator (media) leaves sharp out: its native libvips for linux-arm64 is installed beside the bundle
 * (`npm install --prefix dist/lambda/media --os=linux --cpu=arm64 --libc=glibc --omit=dev --no-package-lock`, from the
 * package.json written there), as the deploy workflow does.
 */
import { copyFile, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Metafile, type Plugin } from "esbuild";
import { bundleWithCodeCache } from "./build-cached.js";
import { parseCli, usageError } from "./cli.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const lambdas = {
  api: "adapters/lambda/api.ts",
  sweeper: "adapters/lambda/sweeper.ts",
  relay: "adapters/lambda/relay.ts",
  email: "adapters/lambda/email.ts",
  fulfilment: "adapters/lambda/fulfilment.ts",
  media: "adapters/lambda/media.ts",
  "media-sweeper": "adapters/lambda/media-sweeper.ts",
} as const;
export type LambdaName = keyof typeof lambdas;

export interface BuildOptions {
  /** Output root; `dist/lambda` by default. */
  readonly outDir?: string;
  /** Leave @aws-sdk/* and @smithy/* out of the bundle (the nodejs22.x runtime ships them); true by default. */
  readonly externalSdk?: boolean;
  /** Build only these (both by default). */
  readonly only?: ReadonlyArray<LambdaName>;
}

export interface BundleReport {
  readonly name: string;
  readonly dir: string;
  /** The entry, index.mjs. */
  readonly file: string;
  /** The entry and the chunks it imports statically: all the code a cold start loads. */
  readonly files: ReadonlyArray<string>;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly mapBytes: number;
  /** Chunks only dynamically imported (the docs app, rarely used SDK credential providers). */
  readonly lazyBytes: number;
  readonly metafile: Metafile;
}

/** Output files reachable from the entry by static imports. */
const loadedAtStart = (metafile: Metafile, entry: string): Set<string> => {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of metafile.outputs[path]?.imports ?? []) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  visit(entry);
  return seen;
};

// Bundled CommonJS dependencies call require() for node builtins and read __dirname; ESM has neither unless we make them.
const banner = [
  'import { createRequire as __cartwrightCreateRequire } from "node:module";',
  'import { dirname as __cartwrightDirname } from "node:path";',
  'import { fileURLToPath as __cartwrightFileURLToPath } from "node:url";',
  "const require = __cartwrightCreateRequire(import.meta.url);",
  "const __filename = __cartwrightFileURLToPath(import.meta.url);",
  "const __dirname = __cartwrightDirname(__filename);",
].join("\n");

// What Swagger UI's page loads; swagger-ui.js (unbundled build) and the source maps are left out.
const swaggerUiAssets = [
  "index.css",
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "favicon-16x16.png",
  "favicon-32x32.png",
  "oauth2-redirect.html",
  "oauth2-redirect.js",
];

// Packages the bundle never calls into, each with the reason; left out so a cold start neither parses nor runs them.
const neverLoaded: Record<string, string> = {
  // Fastify requires its default schema compilers only when none are supplied; ours always are (schema-compilers.ts).
  "@fastify/ajv-compiler": "Cartwright supplies its own schema compilers",
  "@fastify/fast-json-stringify-compiler": "Cartwright supplies its own schema compilers",
  // effect's Schema reaches fast-check only through Arbitrary, which only tests use (they run unbundled).
  "fast-check": "arbitraries are for tests, which run unbundled",
};
const leaveOutNeverLoaded: Plugin = {
  name: "leave-out-never-loaded",
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(neverLoaded).join("|")})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: "never-loaded" }));
    b.onLoad({ filter: /.*/, namespace: "never-loaded" }, (args) => ({
      contents: `module.exports = () => { throw new Error(${JSON.stringify(`${args.path} is not bundled: ${neverLoaded[args.path]}`)}); };`,
      loader: "js",
    }));
  },
};

// An ESM import of a CommonJS package makes Node scan its source for export names (cjs-module-lexer) before
// running it: tens of ms for the SDK's clients at every cold start. require() runs it directly; the Lambda
// runtime's own copy resolves either way (NODE_PATH). The peers of the benchmark are built the same way.
const sdkPackages = /^@(aws-sdk|smithy)\//;
const requireExternalSdk: Plugin = {
  name: "require-external-sdk",
  setup(b) {
    b.onResolve({ filter: sdkPackages }, (args) =>
      args.namespace === "sdk-require" ? { path: args.path, external: true } : { path: args.path, namespace: "sdk-require" },
    );
    b.onLoad({ filter: /.*/, namespace: "sdk-require" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
  },
};

const copySwaggerUi = async (dir: string) => {
  const from = join(dirname(createRequire(import.meta.url).resolve("@fastify/swagger-ui/package.json")), "static");
  await mkdir(join(dir, "swagger-ui"), { recursive: true });
  await Promise.all(swaggerUiAssets.map((f) => copyFile(join(from, f), join(dir, "swagger-ui", f))));
};

/**
 * Packages a bundle imports at run time instead of carrying, each installed beside it from the package.json the
 * build writes (pinned to this repo's version): sharp is native code (libvips) built per OS and CPU.
 */
export const installedBeside: Readonly<Partial<Record<LambdaName, ReadonlyArray<string>>>> = { media: ["sharp"] };

const writeInstallManifest = async (dir: string, packages: ReadonlyArray<string>) => {
  const { dependencies } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const pinned = Object.fromEntries(packages.map((p) => [p, dependencies[p] ?? "*"]));
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ private: true, type: "module", dependencies: pinned }, null, 2)}\n`);
};

/** Functions shipped as one CommonJS bundle, the SDK included, with a bootstrap that loads it through a V8 code cache. */
export const withCodeCache: ReadonlySet<string> = new Set<LambdaName>(["api"]);

/** Bundles one entry the way every function is bundled (the benchmark's peers included). */
export const bundleEntry = async (name: string, source: string, options: BuildOptions): Promise<BundleReport> => {
  const dir = resolve(options.outDir ?? join(root, "dist/lambda"), name);
  await rm(dir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { index: source },
    outdir: dir,
    outExtension: { ".js": ".mjs" },
    // The docs app (Swagger) is a dynamic import: its own chunk, loaded on the first /docs request only.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    minify: true,
    sourcemap: "linked",
    // Stack traces need the mappings, not the sources: a much smaller map for --enable-source-maps to load.
    sourcesContent: false,
    legalComments: "linked",
    banner: { js: banner },
    metafile: true,
    plugins: [leaveOutNeverLoaded, ...((options.externalSdk ?? true) ? [requireExternalSdk] : [])],
    external: [...(installedBeside[name as LambdaName] ?? [])],
    logLevel: "warning",
  });
  if (name === "api") await copySwaggerUi(dir);
  const beside = installedBeside[name as LambdaName];
  if (beside) await writeInstallManifest(dir, beside);
  const outputs = Object.keys(result.metafile.outputs).filter((p) => p.endsWith(".mjs"));
  const entry = outputs.find((p) => result.metafile.outputs[p]?.entryPoint !== undefined) ?? "";
  const eager = loadedAtStart(result.metafile, entry);
  const code = Buffer.concat(await Promise.all([...eager].map((p) => readFile(resolve(root, p)))));
  const maps = await Promise.all([...eager].map((p) => stat(resolve(root, `${p}.map`))));
  return {
    name,
    dir,
    file: resolve(root, entry),
    files: [...eager].map((p) => resolve(root, p)),
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    mapBytes: maps.reduce((sum, m) => sum + m.size, 0),
    lazyBytes: outputs.filter((p) => !eager.has(p)).reduce((sum, p) => sum + (result.metafile.outputs[p]?.bytes ?? 0), 0),
    metafile: result.metafile,
  };
};

export const buildLambdas = async (options: BuildOptions = {}): Promise<ReadonlyArray<BundleReport>> =>
  Promise.all(
    (options.only ?? (Object.keys(lambdas) as LambdaName[])).map((name) =>
      withCodeCache.has(name) ? buildCached(name, lambdas[name], options) : bundleEntry(name, lambdas[name], options),
    ),
  );

const buildCached = async (name: string, source: string, options: BuildOptions) => {
  const report = await bundleWithCodeCache(name, source, { ...options, root, plugins: [leaveOutNeverLoaded] });
  if (name === "api") await copySwaggerUi(report.dir);
  return report;
};

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const usage = `npm run build -- [--bundle-sdk] [--out DIR (dist/lambda)] [--only ${Object.keys(lambdas).join("|")}]…`;
  const { values } = parseCli(usage, {
    options: { "bundle-sdk": { type: "boolean" }, out: { type: "string" }, only: { type: "string", multiple: true } },
  });
  const only = values.only?.map((name) => (name in lambdas ? (name as LambdaName) : usageError(usage, `unknown Lambda "${name}"`)));
  const reports = await buildLambdas({ externalSdk: !values["bundle-sdk"], ...(values.out ? { outDir: resolve(values.out) } : {}), ...(only ? { only } : {}) });
  for (const r of reports) {
    console.log(
      `${r.name.padEnd(13)} ${r.file}: loaded at cold start ${kb(r.bytes)} (gzip ${kb(r.gzipBytes)}, ${r.files.length} file(s), maps ${kb(r.mapBytes)}); lazy chunks ${kb(r.lazyBytes)}`,
    );
  }
}
