// The real unikernels, built and measured: the cold build time and the warm
// (unchanged) rebuild time of each OSv, Unikraft and Nanos recipe, then boot
// and run figures of each beside the null floor and the Linux baseline on
// QEMU's machine pc, and on microvm for those that run there, in one run of
// the CLI. Target: an unchanged recipe rebuilds in under 5 s.
//
//   npm run bench:unikernels -- [--no-cold] [--unikernels unikraft,osv,nanos] [--iterations 10] [--accel tcg|kvm] [--sources-mirror DIR]
//
// --no-cold skips the cold builds (OSv's kernel takes minutes each); a recipe
// that shares its build stage with one built before it (nanos's three) is
// built cold once, the others then from that stage. The mirror defaults to
// $BENCHMARK_TOOL_SOURCES_MIRROR, else ../shared/sources when it exists.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { defaultCacheDir } from "../src/cli/cache-dir.js";
import { silentLogger } from "../src/log/logger.js";
import { SupportedUnikernels } from "../src/performance/supported.js";
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
    unikernels: { type: "string", default: "unikraft,osv,nanos" },
  },
});
const unikernels = values.unikernels.split(",").filter(Boolean);
const bundledMirror = path.join(PROJECT_ROOT, "../shared/sources");
const mirror = values["sources-mirror"] ?? (process.env.BENCHMARK_TOOL_SOURCES_MIRROR || (existsSync(bundledMirror) ? bundledMirror : undefined));
const cacheDir = defaultCacheDir();
const RECIPES: Array<[name: string, vmm: string]> = [
  ["unikraft", "qemu"],
  ["unikraft", "firecracker"],
  ["osv", "qemu"],
  ["osv", "firecracker"],
  ["nanos", "qemu"],
  ["nanos", "qemu-microvm"],
  ["nanos", "firecracker"],
];
const recipes = RECIPES.filter(([name]) => unikernels.includes(name));
/** Recipes whose build stage is another's, line for line (and listed after it): their cold build is that one's. */
const SHARES_BUILD_STAGE_WITH: Record<string, string> = { "nanos/qemu-microvm": "nanos/qemu", "nanos/firecracker": "nanos/qemu" };

async function buildSeconds(name: string, vmm: string, clearCache: boolean): Promise<number> {
  const started = performance.now();
  await new DockerTargetBuilder(name).build({
    vmm, workload: "hello", cacheDir, log: silentLogger,
    ...(clearCache ? { clearCache: true } : {}),
    ...(mirror ? { sourcesMirror: mirror } : {}),
  });
  return (performance.now() - started) / 1000;
}

const COLD_WIDTH = 30;
console.log(`Builds (hello workload; sources ${mirror ? `from the mirror ${mirror}` : "from upstream"}):`);
console.log(`${"recipe".padEnd(24)}${"cold (no layer cache)".padEnd(COLD_WIDTH)}warm (unchanged)`);
for (const [name, vmm] of recipes) {
  const shared = SHARES_BUILD_STAGE_WITH[`${name}/${vmm}`];
  let cold: string | undefined;
  if (!values["no-cold"]) {
    // A recipe sharing another's build stage, right after that one's cold build: only its final stage is built.
    cold = shared ? `${(await buildSeconds(name, vmm, false)).toFixed(1)} s (${shared}'s stage)` : `${(await buildSeconds(name, vmm, true)).toFixed(1)} s`;
  }
  // A first warm build can still be extracting; the figure is the second one's.
  await buildSeconds(name, vmm, false);
  const warm = await buildSeconds(name, vmm, false);
  console.log(`${`${name}/${vmm}`.padEnd(24)}${(cold ?? "-").padEnd(COLD_WIDTH)}${warm.toFixed(2)} s${warm < 5 ? "" : "  (target: < 5 s)"}`);
}

const resultsDir = mkdtempSync(path.join(os.tmpdir(), "bt-bench-unikernels-"));
try {
  // Every pair in one interleaved run, so that they share the host's conditions.
  const runsOn = (name: string, vmm: string) => Object.values(SupportedUnikernels).some((u) => u.unikernelName === name && u.supportedVMMs.includes(vmm));
  const pairs = ["qemu", "qemu-microvm"].flatMap((vmm) => ["null", "linux", ...unikernels].filter((name) => runsOn(name, vmm)).map((name) => `${name}:${vmm}`));
  const args = [
    path.join(PROJECT_ROOT, "dist/cli/main.js"), "performance", ...pairs,
    "--accel", values.accel, "-n", values.iterations, "--output", "json", "--results-dir", resultsDir, "--cache-dir", cacheDir,
    ...(mirror ? ["--sources-mirror", mirror] : []),
  ];
  console.log(`\n$ benchmark-tool ${args.slice(1).join(" ")}`);
  const run = PerformanceRunSchema.parse(JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 28 })));
  console.log(`On QEMU ${run.host.vmmVersions.qemu ?? ""}, ${values.accel}, ${run.host.cpuModel} (${run.host.cores} cores); medians of ${values.iterations}:`);
  console.log("target    machine  boot (ms)  guest-reported boot (ms)  run (ms)  memory (MiB)  image (MiB)");
  for (const entry of run.results) {
    const s = entry.summary;
    const cell = (value: number | undefined, width: number) => (value === undefined ? "-" : formatNumber(value)).padEnd(width);
    console.log(
      `${entry.target.padEnd(10)}${(entry.vmm === "qemu" ? "pc" : "microvm").padEnd(9)}${cell(s?.bootTimeMs?.median, 11)}${cell(s?.guestBootTimeMs?.median, 26)}` +
        `${cell(s?.runTimeMs?.median, 10)}${cell(s?.peakMemoryMiB?.median, 14)}${entry.image ? formatNumber(entry.image.sizeBytes / 2 ** 20) : "-"}` +
        `${entry.status === "ok" ? "" : `  (${entry.status}: ${entry.error})`}`,
    );
  }
} finally {
  rmSync(resultsDir, { recursive: true, force: true });
}
