// Builds the CLI once before the suite as `npm run build` does, so integration
// tests run the same dist/cli/main.js that users run. Type errors do not stop
// the suite here (tsc still emits); `npm run typecheck`, run first by
// `npm test`, enforces them.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  try {
    execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: root,
      stdio: "inherit",
    });
  } catch {
    process.stderr.write("global-setup: tsc reported errors; dist/ was still emitted\n");
  }
  // As `npm run build` does: the packages the CLI starts with, bundled over tsc's re-exports.
  execFileSync(process.execPath, [path.join(root, "scripts/bundle-vendor.mjs")], { cwd: root, stdio: "inherit" });
}
