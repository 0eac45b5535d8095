// The packages bundled into dist/vendor/ (scripts/bundle-vendor.mjs) are
// imported through src/vendor/ only. A module that imported one directly would
// load the package beside its bundled copy in the built CLI: the start-up it
// was bundled for would be lost, and octokit's error classes would be two
// (`instanceof RequestError` false for the errors the bundled octokit throws).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../paths.js";

const SRC = path.join(PROJECT_ROOT, "src");

/** The packages each src/vendor/ file re-exports. */
function bundledPackages(): string[] {
  const vendor = path.join(SRC, "vendor");
  return readdirSync(vendor)
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) => [...readFileSync(path.join(vendor, file), "utf8").matchAll(/from "([^".][^"]*)"/g)].map((m) => m[1]!));
}

/** Value imports (not `import type`) of `packages` in `text`. */
function valueImports(text: string, packages: readonly string[]): string[] {
  return [...text.matchAll(/^import (?!type )[^;]*? from "([^"]+)";/gms)].map((m) => m[1]!).filter((from) => packages.includes(from));
}

describe("bundled packages", () => {
  it("are imported through src/vendor/ only", () => {
    const packages = bundledPackages();
    expect(packages).toEqual(expect.arrayContaining(["commander", "@octokit/core", "@octokit/request-error", "bottleneck/light.js"]));
    const direct = readdirSync(SRC, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.startsWith(`vendor${path.sep}`))
      .flatMap((file) => valueImports(readFileSync(path.join(SRC, file), "utf8"), packages).map((from) => `src/${file} imports ${from}`));
    expect(direct).toEqual([]);
  });

  it("the check sees a direct import, and lets a type-only one pass", () => {
    const text = 'import type { Command } from "commander";\nimport { RequestError } from "@octokit/request-error";\nimport { x } from "./local.js";\n';
    expect(valueImports(text, ["commander", "@octokit/request-error"])).toEqual(["@octokit/request-error"]);
  });
});
