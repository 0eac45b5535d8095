// The real unikernels, built and measured: the cold build time and the warm
// (unchanged) rebuild time of each OSv, Unikraft and Nanos recipe, then boot
// and run figures of each beside the null floor and the Linux baseline on
// QEMU's machine pc, and on microvm for those that run there, in one run of
// the CLI. Target: an unchanged recipe rebuilds in under 5 s.
//
//   npm run bench:unikernels -- [--no-cold] [--unikernels unikraft,osv,nanos] [--iterations 10] [--accel tcg|kvm] [--sources-mirror DIR]
//
// Cold is what a new machine (or a cold CI) pays: a unikernel's first recipe
// is built without Docker's layer cache, then its other recipes with it, so
// that each takes from the cache exactly the steps it shares with those built
// before it (OSv's Firecracker recipe its kernel, nanos's recipes their whole
// build stage) and builds its own. The shared Docker cache is never pruned: a
// build without the cache makes new layers beside the old, and later builds
// take the newest. --no-cold skips the cold builds (OSv's kernel takes
// minutes); the mirror defaults to
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { defaultCacheDir } from "../src/cli/cache-dir.js";
import { createLogger } from "../src/log/logger.js";
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
console.log(`${"recipe".padEnd(24)}${"cold".padEnd(12)}${"steps from the cache".padEnd(22)}warm (unchanged)`);
let coldSeconds = 0;
const coldBuilt = new Set<string>();
for (const [name, vmm] of recipes) {
  let cold: { seconds: number; cache: string } | undefined;
  if (!values["no-cold"]) {
    // A unikernel's first recipe without the layer cache; the next ones with it, sharing what they share.
    cold = await build(name, vmm, !coldBuilt.has(name));
    coldBuilt.add(name);
    coldSeconds += cold.seconds;
  }
  // A first warm build can still be extracting; the figure is the second one's.
  await build(name, vmm, false);
  const warm = (await build(name, vmm, false)).seconds;
  console.log(
    `${`${name}/${vmm}`.padEnd(24)}${(cold ? `${cold.seconds.toFixed(1)} s` : "-").padEnd(12)}${(cold?.cache ?? "-").padEnd(22)}` +
      `${warm.toFixed(2)} s${warm < 5 ? "" : "  (target: < 5 s)"}`,
  );
}
if (!values["no-cold"]) console.log(`Every recipe cold, one after another: ${coldSeconds.toFixed(0)} s`);

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
