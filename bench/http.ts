// The http workload side by side: unikraft, osv and linux on QEMU (pc) as
// servers, in one run of the CLI: median boot (ready marker), first answer,
// requests per second, latency p50/p99 and memory idle and under load, with
// the load generator's ceiling (the same load against http.c on the host).
//
//   npm run bench:http -- [--targets unikraft,osv,linux] [--vmm qemu] [-n 5] [--accel tcg|kvm] [--load-duration 5] [--connections 2]
//   (BENCHMARK_TOOL_SOURCES_MIRROR for the recipes' sources, as for npm start)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { defaultCacheDir } from "../src/cli/cache-dir.js";
import { PROJECT_ROOT } from "../src/performance/targets/local/build-cache.js";
import { formatNumber } from "../src/results/export/summary-rows.js";
import { PerformanceRunSchema } from "../src/results/schema.js";

const { values } = parseArgs({
  options: {
    targets: { type: "string", default: "unikraft,osv,linux" },
    vmm: { type: "string", default: "qemu" },
    n: { type: "string", short: "n", default: "5" },
    accel: { type: "string", default: "tcg" },
    "load-duration": { type: "string", default: "5" },
    connections: { type: "string", default: "2" },
  },
});
const resultsDir = mkdtempSync(path.join(os.tmpdir(), "bt-bench-http-"));
try {
  const args = [
    path.join(PROJECT_ROOT, "dist/cli/main.js"), "performance", ...values.targets.split(",").map((t) => `${t}:${values.vmm}`),
    "--workload", "http", "-n", values.n, "-w", "1", "--accel", values.accel, "--load-duration", values["load-duration"], "--connections", values.connections,
    "--timeout", "300", "--output", "json", "--results-dir", resultsDir, "--cache-dir", defaultCacheDir(),
  ];
  console.log(`$ benchmark-tool ${args.slice(1).join(" ")}`);
  const started = performance.now();
  const cli = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 28 });
  const run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
  console.log(`\nQEMU ${run.host.vmmVersions[values.vmm] ?? ""}, ${values.accel}, ${run.host.cpuModel} (${run.host.cores} cores); ${run.config.load?.generator}, ` +
    `${run.config.load?.connections} connection(s), ${run.config.load?.threads} thread(s), ${run.config.load?.durationSeconds} s per load; medians of ${values.n}; ` +
    `whole run ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const header = ["target", "boot (ms)", "first answer (ms)", "req/s", "p50 (ms)", "p99 (ms)", "idle (MiB)", "under load (MiB)", "served = wrk + tool", "errors"];
  console.log(header.join(" | "));
  for (const entry of run.results) {
    const s = entry.summary;
    if (entry.status !== "ok" || !s) {
      console.log(`${entry.target} | ${entry.status}: ${(entry.error ?? "").split("\n")[0]}`);
      continue;
    }
    const counts = entry.iterations.filter((i) => !i.warmup && i.serving).map((i) => `${i.serving!.servedByGuest} = ${i.serving!.load.requests} + ${i.serving!.toolRequests}`);
    const errors = entry.iterations.reduce((sum, i) => sum + (i.serving ? Object.values(i.serving.load.errors).reduce((a, b) => a + b, 0) : 0), 0);
    const cell = (value: number | undefined, scale = 1): string => (value === undefined ? "-" : formatNumber(value / scale));
    console.log(
      [entry.target, cell(s.bootTimeMs?.median), cell(s.firstAnswerMs?.median), cell(s.requestsPerSecond?.median), cell(s.latencyP50Ms?.median), cell(s.latencyP99Ms?.median),
        cell(s.idleMemoryMiB?.median), cell(s.loadMemoryMiB?.median), counts[0] ?? "-", String(errors)].join(" | "),
    );
  }
  const ceiling = run.generatorCeiling;
  console.log(ceiling ? `generator's ceiling (http.c on the host): ${ceiling.requestsPerSecond.toFixed(0)} req/s, p50 ${formatNumber(ceiling.latencyNs.p50 / 1e6)} ms, p99 ${formatNumber(ceiling.latencyNs.p99 / 1e6)} ms` : "generator's ceiling: not measured");
  for (const entry of run.results) for (const warning of entry.warnings) console.log(`warning: ${entry.target}: ${warning}`);
} finally {
  rmSync(resultsDir, { recursive: true, force: true });
}
