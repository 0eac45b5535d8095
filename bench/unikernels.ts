// The real unikernels, built and measured: the cold build time and the warm
// (unchanged) rebuild time of each OSv and Unikraft recipe, then boot and run
// figures of osv and unikraft beside the null floor and the Linux baseline on
// the same QEMU machine, in one run of the CLI. Target: an
// unchanged recipe rebuilds in under 5 s.
//
//   npm run bench:unikernels -- [--no-cold] [--iterations 10] [--accel tcg|kvm] [--sources-mirror DIR]
//
// --no-cold skips the cold builds (OSv's kernel takes minutes each); the
// mirror defaults to $BENCHMARK_TOOL_SOURCES_MIRROR, else ../shared/sources when it exists.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { defaultCacheDir } from "../src/cli/cache-dir.js";
import { silentLogger } from "../src/log/logger.js";
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

async function buildSeconds(name: string, vmm: string, clearCache: boolean): Promise<number> {
  const started = performance.now();
  await new DockerTargetBuilder(name).build({
    vmm, workload: "hello", cacheDir, log: silentLogger,
    ...(clearCache ? { clearCache: true } : {}),
    ...(mirror ? { sourcesMirror: mirror } : {}),
  });
  return (performance.now() - started) / 1000;
}

console.log(`Builds (hello workload; sources ${mirror ? `from the mirror ${mirror}` : "from upstream"}):`);
console.log("recipe                  cold (no layer cache)  warm (unchanged)");
for (const [name, vmm] of RECIPES) {
  const cold = values["no-cold"] ? undefined : await buildSeconds(name, vmm, true);
  // A first warm build can still be extracting; the figure is the second one's.
  await buildSeconds(name, vmm, false);
  const warm = await buildSeconds(name, vmm, false);
  console.log(`${`${name}/${vmm}`.padEnd(24)}${(cold === undefined ? "-" : `${cold.toFixed(1)} s`).padEnd(23)}${warm.toFixed(2)} s${warm < 5 ? "" : "  (target: < 5 s)"}`);
}

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
