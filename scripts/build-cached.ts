/**
 * The shape of a function shipped with a V8 code cache: `app.js`, one CommonJS bundle of the handler with
 * the AWS SDK bundled into it (a cache covers only what the bundle compiles), and `index.cjs`, the small
 * bootstrap that compiles it with `app.cache` when that cache was made for it (adapters/lambda/bootstrap.ts).
 * What the code imports dynamically (the docs app, Stripe, the SSM and Cognito clients, the upload form signer) is bundled apart under `lazy/`,
 * as the ESM build's chunks were: a cold start neither parses nor runs it. The cache itself comes from a
 * training invocation (scripts/code-cache.ts), never from the build.
 */
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import type { BuildOptions, BundleReport } from "./build.js";

// No import() left in the output: vm.Script cannot run it without a loader callback; require() instead.
const common = { bundle: true, platform: "node", target: "node22", format: "cjs", supported: { "dynamic-import": false }, logLevel: "warning", absWorkingDir: resolve(import.meta.dirname, "..") } as const;
const bundled = {
  minify: true,
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "linked",
  // The bundle's own modules read import.meta.url (the docs' assets, beside it): its file URL in CommonJS.
  define: { "import.meta.url": "__cartwrightFileUrl" },
  banner: { js: 'var __cartwrightFileUrl = require("node:url").pathToFileURL(__filename).href;' },
} as const;

/** The bootstrap, `index.cjs`, into a function's directory. */
export const buildBootstrap = async (dir: string) =>
  void (await build({ ...common, entryPoints: ["adapters/lambda/bootstrap.ts"], outfile: join(dir, "index.cjs"), minify: true }));

/**
 * Each of our own dynamic imports becomes a require() of its own bundle, `lazy/<name>.js`, run on first use.
 * Packages' dynamic imports (the SDK's credential providers: the first request needs one) stay in the bundle.
 */
const lazyImports = (found: Map<string, string>): Plugin => ({
  name: "lazy-imports",
  setup(b) {
    b.onResolve({ filter: /^\.\/lazy\// }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== "dynamic-import" || args.pluginData === "lazy" || args.importer.includes("node_modules")) return undefined;
      // A package's CommonJS entry, as the require() in the bundle will see it (Stripe's is the class itself, as `default`).
      const target = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: "require-call", pluginData: "lazy" });
      const name = basename(args.path).replace(/\.[cm]?[jt]s$/, "");
      found.set(name, target.path);
      return { path: name, namespace: "lazy" };
    });
    b.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => ({ contents: `module.exports = require("./lazy/${args.path}.js");`, loader: "js" }));
  },
});

export const bundleWithCodeCache = async (name: string, source: string, options: BuildOptions & { readonly root: string; readonly plugins: ReadonlyArray<Plugin> }): Promise<BundleReport> => {
  const dir = resolve(options.outDir ?? join(options.root, "dist/lambda"), name);
  await rm(dir, { recursive: true, force: true });
  const lazy = new Map<string, string>();
  const app = await build({ ...common, ...bundled, entryPoints: [source], outfile: join(dir, "app.js"), metafile: true, plugins: [...options.plugins, lazyImports(lazy)] });
  // Lazy bundles import nothing lazily in turn (checked: a new entry here would be left unbuilt).
  const nested = new Map<string, string>();
  const lazyBuilds = [...lazy].map(([entry, path]) =>
    build({ ...common, ...bundled, entryPoints: [path], outfile: join(dir, "lazy", `${entry}.js`), metafile: true, plugins: [...options.plugins, lazyImports(nested)] }),
  );
  const lazyOutputs = await Promise.all(lazyBuilds);
  if ([...nested.keys()].some((k) => !lazy.has(k))) throw new Error(`nested dynamic imports are not bundled: ${[...nested.keys()].join(", ")}`);
  // Every .js here is CommonJS, even inside a "type": "module" package (the tests build into the repo's dist/).
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "package.json"), '{ "type": "commonjs" }\n');
  await buildBootstrap(dir);
  const files = [join(dir, "index.cjs"), join(dir, "app.js")];
  const code = Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
  return {
    name,
    dir,
    file: files[0]!,
    files,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    mapBytes: (await stat(join(dir, "app.js.map"))).size,
    lazyBytes: lazyOutputs.reduce((sum, o) => sum + Object.entries(o.metafile.outputs).reduce((s, [p, out]) => s + (p.endsWith(".js") ? out.bytes : 0), 0), 0),
    metafile: app.metafile,
  };
};
