/**
 * The shape of a function shipped with a V8 code cache: `app.js`, one CommonJS bundle of the handler with
 * the AWS SDK bundled into it (a cache covers only what the bundle compiles), and `index.cjs`, the small
 * bootstrap that compiles it with `app.cache` when that cache was made for it (adapters/lambda/bootstrap.ts).
 * The cache itself comes from a training invocation (scripts/code-cache.ts), never from the build.
 */
import { readFile, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import type { BuildOptions, BundleReport } from "./build.js";

const common = { bundle: true, platform: "node", target: "node22", format: "cjs", logLevel: "warning", absWorkingDir: resolve(import.meta.dirname, "..") } as const;

/** The bootstrap, `index.cjs`, into a function's directory. */
export const buildBootstrap = async (dir: string) =>
  void (await build({ ...common, entryPoints: ["adapters/lambda/bootstrap.ts"], outfile: join(dir, "index.cjs"), minify: true }));

export const bundleWithCodeCache = async (name: string, source: string, options: BuildOptions & { readonly root: string; readonly plugins: ReadonlyArray<Plugin> }): Promise<BundleReport> => {
  const dir = resolve(options.outDir ?? join(options.root, "dist/lambda"), name);
  await rm(dir, { recursive: true, force: true });
  const app = await build({
    ...common,
    entryPoints: [source],
    outfile: join(dir, "app.js"),
    minify: true,
    sourcemap: "linked",
    sourcesContent: false,
    legalComments: "linked",
    metafile: true,
    // The bundle's own modules read import.meta.url (the docs' assets, beside it): its file URL in CommonJS.
    define: { "import.meta.url": "__cartwrightFileUrl" },
    banner: { js: 'var __cartwrightFileUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [...options.plugins],
  });
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
    lazyBytes: 0,
    metafile: app.metafile,
  };
};
