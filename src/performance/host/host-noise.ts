// What else the host is doing, before and during a run: load, other VMMs,
// CPU frequency governor and boost, swap, and (during the run) how much CPU
// time other processes and the hypervisor took. Recorded with the results and
// turned into warnings that say what to do. Everything is read from /proc and
// /sys between boots, never while a guest is timed.
import { readdirSync, readFileSync } from "node:fs";
import { hostWarnings } from "../../warnings/warnings.js";

/** A VMM process's name as /proc/PID/stat gives it (at most 15 characters). */
const VMM_COMMAND = /^(qemu-system-|qemu-kvm$|firecracker$|cloud-hyperviso|crosvm$)/;
/** Host CPU time taken by the hypervisor above which a warning is given. */
const STEAL_WARNING_PERCENT = 5;
/** Samples during a run are at least this far apart (each reads /proc/PID/stat of every process). */
const DEFAULT_MIN_INTERVAL_MS = 1000;

export interface VmmProcess {
  pid: number;
  command: string;
}

export interface NoiseSnapshot {
  /** ISO 8601 */
  checkedAt: string;
  /** 1, 5 and 15 minutes. */
  loadAverage: number[];
  otherVmms: VmmProcess[];
  swapUsedBytes: number;
  /** The CPUs' frequency governors (distinct), where the host exposes them. */
  cpuGovernors?: string[];
  /** Whether boost/turbo is on, where the host exposes it. */
  boost?: boolean;
}

export interface NoiseDuring {
  /** The span of the run the figures cover. */
  seconds: number;
  intervals: number;
  /** CPU cores kept busy by other processes than the tool and its VMMs, on average over the run and in the busiest interval. */
  othersBusyCoresMean: number;
  othersBusyCoresMax: number;
  /** Share of the host's CPU time the hypervisor gave to others (steal). */
  stealPercent: number;
  maxLoadAverage1m: number;
  otherVmms: VmmProcess[];
  /** Pages swapped in or out during the run. */
  swappedPages: number;
}

export interface HostNoise {
  before: NoiseSnapshot;
  during?: NoiseDuring;
  warnings: string[];
}

export interface HostNoiseOptions {
  /** Cores the benchmark itself keeps busy: the pinned CPUs, else the guest's vCPUs. */
  benchmarkCores: number;
  procRoot?: string;
  sysRoot?: string;
  minIntervalMs?: number;
  /** The tool's pid: its own VMMs (its children) are not "other" VMMs. */
  pid?: number;
  now?: () => number;
}

interface Counters {
  atMs: number;
  /** Jiffies over all CPUs. */
  total: number;
  busy: number;
  steal: number;
  /** The tool's own CPU time, its reaped children (the VMMs) included. */
  self: number;
  swappedPages: number;
}

export class HostNoiseMonitor {
  private readonly procRoot: string;
  private readonly sysRoot: string;
  private readonly minIntervalMs: number;
  private readonly pid: number;
  private readonly now: () => number;
  private readonly cores: number;
  private before: NoiseSnapshot | undefined;
  private first: Counters | undefined;
  private last: Counters | undefined;
  private othersBusyCoresMax = 0;
  private maxLoadAverage1m = 0;
  private intervals = 0;
  private readonly otherVmmsDuring = new Map<number, VmmProcess>();

  constructor(private readonly options: HostNoiseOptions) {
    this.procRoot = options.procRoot ?? "/proc";
    this.sysRoot = options.sysRoot ?? "/sys";
    this.minIntervalMs = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
    this.pid = options.pid ?? process.pid;
    this.now = options.now ?? Date.now;
    this.cores = this.read("stat").split("\n").filter((line) => /^cpu\d+ /.test(line)).length || 1;
  }

  /** The cores left to everything else on the host. */
  get freeCores(): number {
    return Math.max(0, this.cores - this.options.benchmarkCores);
  }

  /** Looks at the host before anything is built or booted; returns the warnings. */
  checkBefore(): string[] {
    this.before = {
      checkedAt: new Date(this.now()).toISOString(),
      loadAverage: this.loadAverage(),
      otherVmms: this.otherVmms(),
      swapUsedBytes: this.swapUsedBytes(),
      ...this.frequencyScaling(),
    };
    return this.beforeWarnings(this.before);
  }

  /** Starts the accounting of the run's CPU time: call it right before the first boot. */
  startMeasuring(): void {
    this.first = this.last = this.counters();
  }

  /** Between two boots: a sample, unless the last one is recent. */
  sample(): void {
    if (!this.last || this.now() - this.last.atMs < this.minIntervalMs) return;
    this.takeSample();
  }

  /** The record for the results, with every warning. */
  finish(): HostNoise {
    if (!this.before) this.checkBefore();
    const before = this.before!;
    const warnings = this.beforeWarnings(before);
    if (!this.first || !this.last) return { before, warnings };
    if (this.now() > this.last.atMs) this.takeSample();
    const first = this.first;
    const last = this.last;
    const totalJiffies = last.total - first.total;
    const during: NoiseDuring = {
      seconds: (last.atMs - first.atMs) / 1000,
      intervals: this.intervals,
      othersBusyCoresMean: this.othersBusyCores(first, last),
      othersBusyCoresMax: this.othersBusyCoresMax,
      stealPercent: totalJiffies > 0 ? ((last.steal - first.steal) / totalJiffies) * 100 : 0,
      maxLoadAverage1m: this.maxLoadAverage1m,
      otherVmms: [...this.otherVmmsDuring.values()],
      swappedPages: last.swappedPages - first.swappedPages,
    };
    warnings.push(...this.duringWarnings(during, before));
    return { before, during, warnings };
  }

  private takeSample(): void {
    const now = this.counters();
    this.othersBusyCoresMax = Math.max(this.othersBusyCoresMax, this.othersBusyCores(this.last!, now));
    this.maxLoadAverage1m = Math.max(this.maxLoadAverage1m, this.loadAverage()[0] ?? 0);
    for (const vmm of this.otherVmms()) this.otherVmmsDuring.set(vmm.pid, vmm);
    this.intervals++;
    this.last = now;
  }

  private othersBusyCores(from: Counters, to: Counters): number {
    const total = to.total - from.total;
    if (total <= 0) return 0;
    return Math.max(0, ((to.busy - from.busy - (to.self - from.self)) / total) * this.cores);
  }

  private beforeWarnings(before: NoiseSnapshot): string[] {
    const warnings: string[] = [];
    const load = before.loadAverage[0] ?? 0;
    if (load > this.freeCores) warnings.push(hostWarnings.loadAverage(load, this.freeCores, this.cores));
    if (before.otherVmms.length > 0) warnings.push(hostWarnings.otherVmms(before.otherVmms, "running"));
    const governors = (before.cpuGovernors ?? []).filter((g) => g !== "performance");
    if (governors.length > 0) warnings.push(hostWarnings.governor(governors));
    if (before.boost) warnings.push(hostWarnings.boost());
    return warnings;
  }

  private duringWarnings(during: NoiseDuring, before: NoiseSnapshot): string[] {
    const warnings: string[] = [];
    if (during.othersBusyCoresMean > this.freeCores) {
      warnings.push(hostWarnings.busyDuringRun(during.othersBusyCoresMean, during.othersBusyCoresMax, this.freeCores));
    }
    if (during.stealPercent > STEAL_WARNING_PERCENT) warnings.push(hostWarnings.steal(during.stealPercent));
    const seenBefore = new Set(before.otherVmms.map((v) => v.pid));
    const newVmms = during.otherVmms.filter((v) => !seenBefore.has(v.pid));
    if (newVmms.length > 0) warnings.push(hostWarnings.otherVmms(newVmms, "started during the run"));
    if (during.swappedPages > 0) warnings.push(hostWarnings.swapped(during.swappedPages));
    return warnings;
  }

  private read(file: string): string {
    return readFileSync(`${this.procRoot}/${file}`, "utf8");
  }

  private counters(): Counters {
    const cpu = this.read("stat").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu;
    // After the command name, which may hold spaces and parentheses: state is field 3, utime 14 ... cstime 17.
    const selfStat = this.read("self/stat");
    const fields = selfStat.slice(selfStat.lastIndexOf(")") + 2).split(" ").map(Number);
    const self = fields.slice(11, 15).reduce((sum, value) => sum + (value || 0), 0);
    const vmstat = this.read("vmstat");
    const pages = (name: string): number => Number(new RegExp(`^${name} (\\d+)`, "m").exec(vmstat)?.[1] ?? 0);
    return {
      atMs: this.now(),
      total: user + nice + system + idle + iowait + irq + softirq + steal,
      busy: user + nice + system + irq + softirq,
      steal,
      self,
      swappedPages: pages("pswpin") + pages("pswpout"),
    };
  }

  private loadAverage(): number[] {
    return this.read("loadavg").trim().split(/\s+/).slice(0, 3).map(Number);
  }

  private swapUsedBytes(): number {
    const meminfo = this.read("meminfo");
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(meminfo)?.[1] ?? 0);
    return (kib("SwapTotal") - kib("SwapFree")) * 1024;
  }

  /** VMM processes on the host that are not this tool's own. */
  private otherVmms(): VmmProcess[] {
    const found: VmmProcess[] = [];
    for (const name of readdirSync(this.procRoot)) {
      if (!/^\d+$/.test(name)) continue;
      let stat: string;
      try {
        stat = this.read(`${name}/stat`);
      } catch {
        continue; // it ended while we looked
      }
      const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!VMM_COMMAND.test(command)) continue;
      const parentPid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parentPid !== this.pid) found.push({ pid: Number(name), command });
    }
    return found;
  }

  private frequencyScaling(): Pick<NoiseSnapshot, "cpuGovernors" | "boost"> {
    const cpuDir = `${this.sysRoot}/devices/system/cpu`;
    const readIf = (file: string): string | undefined => {
      try {
        return readFileSync(file, "utf8").trim();
      } catch {
        return undefined;
      }
    };
    let cpus: string[] = [];
    try {
      cpus = readdirSync(cpuDir).filter((name) => /^cpu\d+$/.test(name));
    } catch {
      // no sysfs: nothing exposed
    }
    const governors = [...new Set(cpus.flatMap((cpu) => readIf(`${cpuDir}/${cpu}/cpufreq/scaling_governor`) ?? []))];
    const boost = readIf(`${cpuDir}/cpufreq/boost`);
    const noTurbo = readIf(`${cpuDir}/intel_pstate/no_turbo`);
    return {
      ...(governors.length > 0 ? { cpuGovernors: governors } : {}),
      ...(boost !== undefined ? { boost: boost === "1" } : noTurbo !== undefined ? { boost: noTurbo === "0" } : {}),
    };
  }
}
