// The real unikernels, built and measured: the cold build time and the warm
// (unchanged) rebuild time of each OSv and Unikraft recipe, then boot and run
// figures of osv and unikraft beside the null floor and the Linux baseline on
// the same QEMU machine, in one run of the CLI. Target: an
// unchanged recipe rebuilds in under 5 s.
//
//   npm run bench:unikernels -- [--no-cold] [--iterations 10] [--accel tcg|kvm] [--sources-mirror DIR]
//
// Cold is what a new machine (or a cold CI) pays: a unikernel's QEMU recipe is
// built without Docker's layer cache, then its Firecracker recipe with it, so
// that it takes from the cache exactly the steps the two recipes share (for
// OSv, everything up to its kernel) and builds its own. The shared Docker
// cache is never pruned: a build without the cache makes new layers beside
// the old, and later builds take the newest. --no-cold skips the cold builds
// (OSv's kernel takes minutes); the mirror defaults to
// $BENCHMARK_TOOL_SOURCES_MIRROR, else ../shared/sources when it exists.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { defaultCacheDir } from "../src/cli/cache-dir.js";
import { createLogger } from "../src/log/logger.js";
import { DockerTargetBuilder } from "../src/performance/targets/docker/docker-target.js";
import { PROJECT_ROOT } from "../src/performance/targets/local/build-cache.js";
import { formatNumber } from "../src/results/export/summary-rows.js";
import { PerformanceRunSchema } from "../src/results/schema.js";

const { values } = parseArgs({
  options: {
    "no-cold": { type: "boolean", default: false },
    iterations: { type: "string", default: "10" },
    accel: { type: "string", default: "tcg" },
    "sources-mirror": { type: "string" },
  },
});
const bundledMirror = path.join(PROJECT_ROOT, "../shared/sources");
const mirror = values["sources-mirror"] ?? (process.env.BENCHMARK_TOOL_SOURCES_MIRROR || (existsSync(bundledMirror) ? bundledMirror : undefined));
const cacheDir = defaultCacheDir();
const RECIPES = [
  ["unikraft", "qemu"],
  ["unikraft", "firecracker"],
  ["osv", "qemu"],
  ["osv", "firecracker"],
] as const;

/** The build's seconds, and its "N of M step(s) from the layer cache". */
async function build(name: string, vmm: string, clearCache: boolean): Promise<{ seconds: number; cache: string }> {
  const lines: string[] = [];
  const started = performance.now();
  await new DockerTargetBuilder(name).build({
    vmm, workload: "hello", cacheDir, log: createLogger({ write: (line) => lines.push(line) }),
    ...(clearCache ? { clearCache: true } : {}),
    ...(mirror ? { sourcesMirror: mirror } : {}),
  });
  const cache = /(\d+ of \d+) step\(s\) from the layer cache/.exec(lines.join("\n"))?.[1] ?? "?";
  return { seconds: (performance.now() - started) / 1000, cache };
}

console.log(`Builds (hello workload; sources ${mirror ? `from the mirror ${mirror}` : "from upstream"}):`);
console.log("recipe                  cold                  steps from the cache  warm (unchanged)");
let coldTotal = 0;
for (const [name, vmm] of RECIPES) {
  // The first recipe of a unikernel without the layer cache; the next ones with it, sharing what they share.
  const cold = values["no-cold"] ? undefined : await build(name, vmm, vmm === "qemu");
  coldTotal += cold?.seconds ?? 0;
  // A first warm build can still be extracting; the figure is the second one's.
  await build(name, vmm, false);
  const warm = (await build(name, vmm, false)).seconds;
  console.log(
    `${`${name}/${vmm}`.padEnd(24)}${(cold === undefined ? "-" : `${cold.seconds.toFixed(1)} s`).padEnd(22)}${(cold?.cache ?? "-").padEnd(22)}` +
      `${warm.toFixed(2)} s${warm < 5 ? "" : "  (target: < 5 s)"}`,
  );
}
if (!values["no-cold"]) console.log(`All recipes cold, one after another: ${coldTotal.toFixed(0)} s`);

const resultsDir = mkdtempSync(path.join(os.tmpdir(), "bt-bench-unikernels-"));
try {
  const args = [
    path.join(PROJECT_ROOT, "dist/cli/main.js"), "performance", "null:qemu", "linux:qemu", "unikraft:qemu", "osv:qemu",
    "--accel", values.accel, "-n", values.iterations, "--output", "json", "--results-dir", resultsDir, "--cache-dir", cacheDir,
    ...(mirror ? ["--sources-mirror", mirror] : []),
  ];
  const run = PerformanceRunSchema.parse(JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 28 })));
  console.log(`\nOn QEMU ${run.host.vmmVersions.qemu ?? ""}, machine pc, ${values.accel}, ${run.host.cpuModel} (${run.host.cores} cores); medians of ${values.iterations}:`);
  console.log("target    boot (ms)  guest-reported boot (ms)  run (ms)  memory (MiB)  image (MiB)");
  for (const entry of run.results) {
    const s = entry.summary;
    const cell = (value: number | undefined, width: number) => (value === undefined ? "-" : formatNumber(value)).padEnd(width);
    console.log(
      `${entry.target.padEnd(10)}${cell(s?.bootTimeMs?.median, 11)}${cell(s?.guestBootTimeMs?.median, 26)}${cell(s?.runTimeMs?.median, 10)}` +
        `${cell(s?.peakMemoryMiB?.median, 14)}${entry.image ? formatNumber(entry.image.sizeBytes / 2 ** 20) : "-"}${entry.status === "ok" ? "" : `  (${entry.status}: ${entry.error})`}`,
    );
  }
} finally {
  rmSync(resultsDir, { recursive: true, force: true });
}
