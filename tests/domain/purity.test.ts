import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../domain");

const files = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });

const importsOf = (source: string): Array<string> =>
  [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)].map(
    (m) => m[1] ?? m[2] ?? m[3] ?? "",
  );

describe("domain purity", () => {
  it("imports nothing but effect and other domain files (no AWS, Fastify, Pulumi or node: I/O)", () => {
    const offenders = files(root).flatMap((file) =>
      importsOf(readFileSync(file, "utf8"))
        .filter((spec) => !(spec === "effect" || spec.startsWith("effect/") || spec.startsWith("./") || spec.startsWith("../")))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(files(root).length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it("never climbs out of domain/ through a relative import", () => {
    const escapes = files(root).flatMap((file) =>
      importsOf(readFileSync(file, "utf8"))
        .filter((spec) => spec.startsWith("."))
        .filter((spec) => relative(root, join(file, "..", spec)).startsWith(".."))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(escapes).toEqual([]);
  });

  it("recognises every import form it checks (guards the scanner itself)", () => {
    const sample = `import { a } from "fastify";\nexport * from "./x.js";\nconst m = await import("node:fs");\nimport "pulumi";`;
    expect(importsOf(sample)).toEqual(["fastify", "./x.js", "node:fs", "pulumi"]);
  });
});
