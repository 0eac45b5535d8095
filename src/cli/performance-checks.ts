// The checks of `performance`'s input that need the plan or the host, made
// before any VMM starts: memory that no guest of the plan can boot with (which
// would otherwise hang until the timeout), CPU models QEMU does not know, and
// paths the run could not use. Each is a UsageError saying what is valid.
import os from "node:os";
import type { Plan } from "../performance/plan.js";
import type { Accel } from "../performance/vmm/types.js";
import { UsageError } from "./exit-codes.js";
import { checkExecutableFile, checkWritableDirectory } from "./path-checks.js";

export interface CheckedOptions {
  memory?: number;
  cpu?: string;
  accel: Accel | "auto";
  resultsDir: string;
  cacheDir: string;
  firecrackerBin?: string;
}

/** CPU models worth naming when one is not known; `-cpu help` lists them all. */
const WELL_KNOWN_CPU_MODELS = ["host", "max", "base", "qemu64", "kvm64", "Skylake-Client", "EPYC"];

export async function checkPerformanceInput(plan: Plan, options: CheckedOptions): Promise<void> {
  if (options.memory !== undefined) checkMemory(plan, options.memory);
  if (options.cpu !== undefined) await checkCpuModel(plan, options.cpu, options.accel);
  await checkWritableDirectory("--results-dir", options.resultsDir);
  await checkWritableDirectory("--cache-dir", options.cacheDir);
  if (options.firecrackerBin !== undefined) await checkExecutableFile("--firecracker-bin", options.firecrackerBin);
}

function checkMemory(plan: Plan, memoryMiB: number): void {
  const hostMiB = Math.floor(os.totalmem() / 2 ** 20);
  if (memoryMiB > hostMiB) throw new UsageError(`--memory ${memoryMiB} MiB is more than this host has (${hostMiB} MiB)`);
  const needs = new Map<string, number>();
  for (const { target } of plan.entries) {
    if (target.minimumMemoryMiB !== undefined && target.minimumMemoryMiB > memoryMiB) needs.set(target.name, target.minimumMemoryMiB);
  }
  if (needs.size === 0) return;
  const most = Math.max(...needs.values());
  const list = [...needs].map(([name, mib]) => `${name} needs at least ${mib} MiB`).join(", ");
  throw new UsageError(`--memory ${memoryMiB} MiB is too little: ${list}. Give --memory ${most} or more, or leave it out to use each target's own`);
}

async function checkCpuModel(plan: Plan, cpu: string, accel: CheckedOptions["accel"]): Promise<void> {
  const model = cpu.split(",")[0]!;
  const backends = [...new Set(plan.entries.map((e) => e.backend))].filter((b) => b.cpuModels);
  if (backends.length === 0) throw new UsageError(`--cpu applies to QEMU only, and none of the selected pairs runs on QEMU; leave it out`);
  if (model === "host" && accel === "tcg") throw new UsageError("--cpu host needs KVM, and --accel tcg was given; use --cpu max for every feature TCG offers");
  for (const backend of backends) {
    // A VMM missing here is reported as such when the run reaches it.
    if (!(await backend.checkAvailable()).available) continue;
    const models = await backend.cpuModels!();
    if (models.includes(model)) continue;
    const examples = WELL_KNOWN_CPU_MODELS.filter((m) => models.includes(m)).join(", ");
    throw new UsageError(`--cpu: ${backend.name} knows no CPU model '${model}'; valid models include ${examples} (\`qemu-system-x86_64 -cpu help\` lists all ${models.length})`);
  }
}
