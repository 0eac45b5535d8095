// How much the tool adds to a boot: its wall time per iteration of the null
// guest (launch paused, QMP, cont, console, memory sampling, quit, clean-up)
// against a bare run of the same QEMU command line (no -S, no QMP, exits when
// the guest powers off), alternated in one run so both see the same machine.
// Target: the tool adds at most 10%.
//
//   npm run bench -- [--rounds 20] [--accel tcg|kvm] [--vmm qemu|qemu-microvm]
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import { silentLogger } from "../src/log/logger.js";
import { ConsoleMarkerProbe } from "../src/performance/probes/console-marker-probe.js";
import { runIteration } from "../src/performance/runner/iteration.js";
import { BOOT_PHASE_LABELS, BOOT_PHASES, type BootPhasesNs } from "../src/vocabulary/boot-phases.js";
import { MemoryMonitor } from "../src/performance/measure/memory-monitor.js";
import { nullGuest } from "../src/performance/targets/local/null-guest.js";
import { QemuBackend } from "../src/performance/vmm/qemu/qemu-backend.js";
import { defaultCacheDir } from "../src/cli/cache-dir.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "20" },
    accel: { type: "string", default: "tcg" },
    vmm: { type: "string", default: "qemu-microvm" },
  },
});
const rounds = Number(values.rounds);
const accel = values.accel === "kvm" ? "kvm" : "tcg";
const vmm = values.vmm === "qemu" ? "qemu" : "qemu-microvm";
const backend = new QemuBackend(vmm, vmm === "qemu" ? "pc" : "microvm");

const artifacts = await nullGuest.build({ vmm, workload: "hello", cacheDir: defaultCacheDir(), log: silentLogger });
const monitor = new MemoryMonitor();
const launch = { artifacts, bootArgs: artifacts.bootArgs, memoryMiB: 128, vcpus: 1, accel } as const;
const readiness = new ConsoleMarkerProbe(artifacts.readyMarker);

async function toolIterationMs(): Promise<{ wallMs: number; commandLine: readonly string[]; phasesNs: BootPhasesNs }> {
  const started = process.hrtime.bigint();
  const measured = await runIteration({ backend, launch, readiness, timeoutMs: 30_000, monitor, log: silentLogger });
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6, commandLine: measured.commandLine, phasesNs: measured.phasesNs };
}

/** The tool's own command line without what only the tool needs: pause, QMP, staying alive after power-off. */
function bareCommandLine(commandLine: readonly string[]): string[] {
  const bare: string[] = [];
  for (let i = 1; i < commandLine.length; i++) {
    const arg = commandLine[i]!;
    if (arg === "-S" || arg === "-no-shutdown") continue;
    if (arg === "-qmp") {
      i++;
      continue;
    }
    bare.push(arg);
  }
  return bare;
}

function bareRunMs(binary: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "ignore"] });
    // The serial port writes byte by byte: look at the whole output at the end.
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("error", reject);
    child.once("exit", (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const sawMarker = output.includes(artifacts.readyMarker);
      if (code !== 0 || !sawMarker) reject(new Error(`bare QEMU run failed (exit ${code}, marker ${sawMarker ? "seen" : "missing"})`));
      else resolve(wallMs);
    });
  });
}

const first = await toolIterationMs(); // warm-up, and the command line to compare with
const binary = first.commandLine[0]!;
const bareArgs = bareCommandLine(first.commandLine);
await bareRunMs(binary, bareArgs); // warm-up
const tool: number[] = [];
const bare: number[] = [];
const phases: BootPhasesNs[] = [];
for (let round = 0; round < rounds; round++) {
  const iteration = await toolIterationMs();
  tool.push(iteration.wallMs);
  phases.push(iteration.phasesNs);
  bare.push(await bareRunMs(binary, bareArgs));
}
await monitor.close();

const ratio = median(tool) / median(bare);
console.log(`null guest on ${vmm} (${accel}), ${rounds} rounds, alternating`);
console.log(`bare QEMU run      median ${median(bare).toFixed(2)} ms  (min ${Math.min(...bare).toFixed(2)}, max ${Math.max(...bare).toFixed(2)})`);
console.log(`tool per iteration median ${median(tool).toFixed(2)} ms  (min ${Math.min(...tool).toFixed(2)}, max ${Math.max(...tool).toFixed(2)})`);
console.log(`ratio tool/bare: ${ratio.toFixed(3)} (target <= 1.10: ${ratio <= 1.1 ? "met" : "NOT met"})`);
console.log(`tool's phases, medians: ${BOOT_PHASES.map((phase) => `${BOOT_PHASE_LABELS[phase]} ${(median(phases.map((p) => p[phase])) / 1e6).toFixed(2)} ms`).join(", ")}`);
console.log(`bare command: ${binary} ${bareArgs.join(" ")}`);
