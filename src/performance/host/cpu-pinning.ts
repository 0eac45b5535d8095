// --pin: the VMM processes on chosen host CPUs, and the tool itself on the
// others where there are any, so that neither takes the other's time.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { TASKSET } from "../vmm/vmm-processes.js";

const execFileAsync = promisify(execFile);

export class CpuListError extends Error {
  override readonly name = "CpuListError";
}

/** "0,2-3" -> [0, 2, 3]: the list format of taskset and /proc/PID/status. */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!match) throw new CpuListError(`'${text}' is not a CPU list; write CPU numbers and ranges, e.g. 1, 2-3 or 0,2-3`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) throw new CpuListError(`'${part.trim()}' in '${text}' is a range that ends before it starts`);
    for (let cpu = first; cpu <= last; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** [0, 1, 2, 5] -> "0-2,5" */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** The CPUs this process may run on (its affinity, which a container's cpuset narrows). */
export async function usableCpus(procRoot = "/proc"): Promise<number[]> {
  const status = await readFile(`${procRoot}/self/status`, "utf8");
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
  if (!list) throw new Error(`${procRoot}/self/status has no Cpus_allowed_list`);
  return parseCpuList(list);
}

export interface CpuPinning {
  /** The CPUs the VMM processes run on. */
  vmmCpus: number[];
  /** The rest of the usable CPUs, for the tool; empty when --pin takes them all. */
  toolCpus: number[];
}

/** Checks a --pin list against the CPUs there are; the error names the valid ones. */
export function planPinning(text: string, usable: readonly number[]): CpuPinning {
  const vmmCpus = parseCpuList(text);
  const missing = vmmCpus.filter((cpu) => !usable.includes(cpu));
  if (missing.length > 0) {
    const which = missing.length === 1 ? `CPU ${missing[0]} does not exist` : `CPUs ${formatCpuList(missing)} do not exist`;
    throw new CpuListError(`${which} here (or this process may not use them); the CPUs available: ${formatCpuList(usable)}`);
  }
  return { vmmCpus, toolCpus: usable.filter((cpu) => !vmmCpus.includes(cpu)) };
}

/** Moves every thread of this process (and what it starts from now on) to `cpus`. */
export async function pinThisProcess(cpus: readonly number[]): Promise<void> {
  await execFileAsync(TASKSET, ["--all-tasks", "--pid", "--cpu-list", formatCpuList(cpus), String(process.pid)]);
}
