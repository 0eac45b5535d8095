// The density curve of the null floor and the Linux baseline on qemu-microvm:
// median boot time and PSS per VM (with RSS and USS beside it) when 1, 2, 4
// and 8 boot at once, in one run of the CLI.
//
//   npm run bench:density -- [--vms 1,2,4,8] [--rounds 3] [--accel tcg|kvm] [--targets null,linux]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { defaultCacheDir } from "../src/cli/cache-dir.js";
import { PROJECT_ROOT } from "../src/performance/targets/local/build-cache.js";
import { DensityRunSchema } from "../src/results/density-schema.js";
import { formatNumber } from "../src/results/export/summary-rows.js";

const { values } = parseArgs({
  options: {
    vms: { type: "string", default: "1,2,4,8" },
    rounds: { type: "string", default: "3" },
    accel: { type: "string", default: "tcg" },
    targets: { type: "string", default: "null,linux" },
  },
});
const MIB = 2 ** 20;
const resultsDir = mkdtempSync(path.join(os.tmpdir(), "bt-bench-density-"));
try {
  const args = [
    path.join(PROJECT_ROOT, "dist/cli/main.js"), "density", ...values.targets.split(",").map((t) => `${t}:qemu-microvm`),
    "--vms", values.vms, "--rounds", values.rounds, "--accel", values.accel, "--timeout", "300",
    "--output", "json", "--results-dir", resultsDir, "--cache-dir", defaultCacheDir(),
  ];
  console.log(`$ benchmark-tool ${args.slice(1).join(" ")}`);
  const run = DensityRunSchema.parse(JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 28 })));
  console.log(`QEMU ${run.host.vmmVersions["qemu-microvm"] ?? ""}, machine microvm, ${values.accel}, ${run.host.cpuModel} (${run.host.cores} cores); ${values.rounds} round(s) per level`);
  console.log("target  VMs  boot median (ms)  all ready (ms)  PSS/VM (MiB)  RSS/VM (MiB)  USS/VM (MiB)  failed");
  const cell = (value: number | undefined, width: number, scale = 1): string => (value === undefined ? "-" : formatNumber(value / scale)).padEnd(width);
  for (const entry of run.results) {
    if (entry.levels.length === 0) console.log(`${entry.target.padEnd(8)}(${entry.status}: ${entry.error})`);
    for (const level of entry.levels) {
      const s = level.summary;
      console.log(
        `${entry.target.padEnd(8)}${String(level.vms).padEnd(5)}${cell(s.bootMedianMs, 18)}${cell(s.allReadyMedianMs, 16)}` +
          `${cell(s.pssPerVmBytes, 14, MIB)}${cell(s.rssPerVmBytes, 14, MIB)}${cell(s.ussPerVmBytes, 14, MIB)}${s.failures} of ${s.vmsTotal}`,
      );
    }
  }
} finally {
  rmSync(resultsDir, { recursive: true, force: true });
}
