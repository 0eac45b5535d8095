// Every warning a run can give, in plain words and in one place (hyperfine
// keeps its warnings so): what was seen, why it matters for the figures, and
// what to do. The stages that notice a condition call these to put the text
// in their results; the command line prints whatever the results carry.
import type { Summary } from "../statistics/summary.js";
import { WIDE_INTERVAL_RATIO } from "../statistics/summary.js";

/** A process on the host, as the host-noise monitor lists it. */
interface HostProcess {
  pid: number;
  command: string;
}

/** What else the host was doing (src/performance/host/host-noise.ts). */
export const hostWarnings = {
  loadAverage: (load: number, freeCores: number, cores: number): string =>
    `the host's load average is ${load.toFixed(2)} (1 min), more than the ${freeCores} of its ${cores} cores the run leaves free: ` +
    "other work will compete with the VMM and disturb the figures; wait for it to end or stop it (or keep CPUs for the VMM with --pin)",
  otherVmms: (vmms: readonly HostProcess[], when: "running" | "started during the run"): string => {
    const listed = vmms.slice(0, 5).map((v) => `${v.command} [pid ${v.pid}]`).join(", ");
    return (
      `${vmms.length} other VMM process(es) ${when} (${listed}${vmms.length > 5 ? ", ..." : ""}): they compete for CPU time and memory bandwidth; ` +
      "stop them, or wait until they end"
    );
  },
  governor: (governors: readonly string[]): string =>
    `the CPU frequency governor is ${governors.map((g) => `'${g}'`).join(", ")}, not 'performance': the clock speed follows the load, ` +
    "so the first boots run slower; set it with 'sudo cpupower frequency-set -g performance'",
  boost: (): string =>
    "CPU boost (turbo) is on: the clock speed depends on heat and on how many cores are busy; for steadier figures turn it off " +
    "('echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost', or 'echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo')",
  busyDuringRun: (meanCores: number, maxCores: number, freeCores: number): string =>
    `other processes kept ${meanCores.toFixed(2)} cores busy on average during the run (${maxCores.toFixed(2)} at most), ` +
    `more than the ${freeCores} left free: they competed with the VMM; rerun on a quieter host, or compare only pairs measured in one interleaved run`,
  steal: (stealPercent: number): string =>
    `the hypervisor gave ${stealPercent.toFixed(1)}% of this machine's CPU time to others (steal time): another VM shares its physical CPUs; ` +
    "prefer a dedicated host, or compare only pairs measured in one interleaved run",
  swapped: (pages: number): string =>
    `the host swapped ${pages} pages in or out during the run: the VMM's or the guest's memory may have been paged out; ` +
    "free memory (or turn swap off with 'sudo swapoff -a') and rerun",
  pinTakesAll: (vmmCpus: string): string => `--pin ${vmmCpus} takes every CPU this tool may use: the tool shares them with the VMMs`,
};

/** About one target on one VMM, from preparing it to its last iteration or level. */
export const pairWarnings = {
  kvmKnownToFail: (triedAt: string, reason: string): string => `KVM cannot run this guest here (KVM trial of ${triedAt}: ${reason}); measured under TCG`,
  kvmTrialFailed: (why: string): string => `KVM could not run this guest (${why}); measured under TCG`,
  precisionNotReached: (targetPercent: number, iterations: number, halfWidthPercent: number | undefined): string => {
    const achieved = halfWidthPercent === undefined ? "there is no interval yet (fewer than 6 iterations)" : `it is ±${halfWidthPercent.toFixed(1)}%`;
    return (
      `--precision ±${targetPercent}%: not reached after ${iterations} iterations (the --max-iterations limit); ` +
      `the 95% interval of the median boot time: ${achieved}. Raise --max-iterations, or quieten the host.`
    );
  },
  peakNotExact: (): string =>
    "the VMM exited before its final peak memory could be read: peak memory is the last sample's, up to one sample interval old",
  bootTimerMissing: (why: string): string => `--boot-timer: some iterations have no VMM-reported boot time (${why})`,
  guestReportedBootAbsent: (absent: number, of: number, why: string): string =>
    `Time to boot (guest-reported): absent in ${absent} of ${of} iteration(s), not counted as a figure: ${why}`,
  firstIterationSlow: (): string =>
    "Time to boot: the first measured iteration was much slower than the rest (cold caches?); consider more --warmup iterations",
  nearGeneratorCeiling: (requestsPerSecond: number, ceiling: number, generator: string): string =>
    `Requests per second: the median, ${requestsPerSecond.toFixed(0)}, is ${((requestsPerSecond / ceiling) * 100).toFixed(0)}% of what ${generator} ` +
    `got from the same server on the host (${ceiling.toFixed(0)}): the load generator, not the guest, may be the limit; give it more CPUs (--pin) or fewer --connections`,
  loadErrors: (errors: number, requests: number): string =>
    `the load generator counted ${errors} error(s) (connect, read, write, status or timeout) beside ${requests} answered request(s): errors are not counted as requests served; --debug shows the guest's console`,
  memoryNotReadWhileUp: (vmm: string): string =>
    `${vmm} exits with its guest: the memory of VMMs whose guest had already ended could not be read while all were up`,
};

/** hyperfine's plain-words warnings about one metric's summary. */
export function summaryWarnings(metricLabel: string, summary: Summary): string[] {
  const warnings: string[] = [];
  if (summary.outlierIndexes.length > 0) {
    warnings.push(
      `${metricLabel}: ${summary.outlierIndexes.length} statistical outlier(s) among ${summary.n} samples. ` +
        "Something else on the host may have disturbed the measurement; consider more --warmup iterations or a quieter machine.",
    );
  }
  const halfWidth = (summary.ci95High - summary.ci95Low) / 2;
  if (summary.n > 1 && summary.mean !== 0 && halfWidth / Math.abs(summary.mean) > WIDE_INTERVAL_RATIO) {
    warnings.push(
      `${metricLabel}: the 95% confidence interval is wide (±${((halfWidth / Math.abs(summary.mean)) * 100).toFixed(1)}% of the mean); ` +
        "more --iterations would narrow it.",
    );
  }
  return warnings;
}

/** About a whole run, printed after its results. */
export const runWarnings = {
  noneAvailable: (): string => "None of the selected target/VMM pairs is available here (why: below the results)",
  incomplete: (pairs: ReadonlyArray<{ target: string; vmm: string; status: string }>, of: number): string =>
    `${pairs.length} of ${of} target/VMM pair(s) did not complete: ${pairs.map((e) => `${e.target} on ${e.vmm} (${e.status})`).join(", ")}`,
};
