// Bundles each src/vendor/<name>.ts with the packages it re-exports into one
// ES module, dist/vendor/<name>.js, over what tsc emitted there (a plain
// re-export, which is what tests running the sources use). Node then loads one
// file where it would resolve, read and (for CommonJS) scan a package's
// dozens: the community command's first request leaves some 15 ms sooner.
// Run by `npm run build` after tsc, and by the test suite's global setup.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entries = readdirSync(path.join(root, "src/vendor")).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));

await build({
  entryPoints: entries.map((file) => path.join(root, "src/vendor", file)),
  outdir: path.join(root, "dist/vendor"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // A CommonJS package inside an ES module still calls require() for Node's own modules.
  banner: { js: 'import { createRequire as __vendorRequire } from "node:module";\nconst require = __vendorRequire(import.meta.url);' },
  sourcemap: true,
  logLevel: "warning",
});
