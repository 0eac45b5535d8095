// The run's story on stderr, in the seed's logrus lines: which pair is
// prepared and measured, each measured iteration's four figures, what was
// left out or failed, and, at the end, every warning the results carry.
import type { Logger } from "../../log/logger.js";
import type { DensityObserver } from "../../performance/density/density-runner.js";
import { nsToMs } from "../../clock.js";
import type { PlanEntry } from "../../performance/plan.js";
import { runWarnings } from "../../warnings/warnings.js";

const pairName = (entry: PlanEntry): string => `${entry.target.name} on ${entry.backend.name}`;

/** Logs what performance and density tell as they go. */
export function runLog(log: Logger): DensityObserver {
  return {
    pairStarted: (entry) => log.info(`Running benchmark for ${entry.target.name} with ${entry.backend.name} backend`),
    pairLeftOut: (entry, result) => {
      if (result.status === "unavailable") log.info(`${pairName(entry)} is not available here: ${result.error}`);
      else log.warn(`Skipping ${pairName(entry)}: ${result.error}`);
    },
    pairFailed: (entry, result, kept) => {
      if (result.status === "interrupted") log.warn(`${pairName(entry)}: interrupted; keeping the ${kept} measured so far`);
      else log.error(`${pairName(entry)} failed: ${result.error}`);
    },
    kvmFallback: (entry, message) => log.warn(`${pairName(entry)}: ${message}`),
    iterationStarted: (entry, round) => {
      if (round > 0) log.info(`Round ${round}: ${pairName(entry)}`);
    },
    booted: () => log.info("Unikernel booted, waiting for execution to end..."),
    iterationMeasured: (_entry, result, record) => {
      if (record.warmup) return;
      // The seed's per-run lines, in its order and units.
      log.info(`Time to run: ${nsToMs(record.runNs).toFixed(2)}ms`);
      log.info(`Time to boot: ${nsToMs(record.bootNs).toFixed(2)}ms`);
      if (record.vmmReportedBootNs !== undefined) log.info(`Time to boot as the VMM measured it: ${nsToMs(record.vmmReportedBootNs).toFixed(2)}ms`);
      if (record.guestReportedBootNs !== undefined) log.info(`Time to boot as the guest reported it: ${nsToMs(record.guestReportedBootNs).toFixed(2)}ms`);
      log.info(`Image size: ${(result.image!.sizeBytes / 2 ** 20).toFixed(2)}MiB`);
      log.info(`Total memory usage: ${(record.peakRssBytes / 2 ** 20).toFixed(2)}MiB`);
      const serving = record.serving;
      if (serving) {
        const ms = (ns: number): string => `${nsToMs(ns).toFixed(2)}ms`;
        log.info(`Time to first answer: ${ms(serving.firstAnswerNs)}`);
        log.info(`Requests per second: ${serving.load.requestsPerSecond.toFixed(0)} (latency p50 ${ms(serving.load.latencyNs.p50)}, p99 ${ms(serving.load.latencyNs.p99)})`);
        log.info(`Memory under load: ${(serving.loadPeakRssBytes / 2 ** 20).toFixed(2)}MiB (idle ${(serving.idleRssBytes / 2 ** 20).toFixed(2)}MiB)`);
      }
    },
    precisionReached: (entry, iterations, targetPercent) =>
      log.info(`${pairName(entry)}: median boot time within ±${targetPercent}% (95% CI) after ${iterations} iterations`),
    roundStarted: (entry, vms, round, rounds) => log.info(`${pairName(entry)}: ${vms} VM(s), round ${round} of ${rounds}`),
    levelMeasured: (entry, level) => {
      for (const vm of level.perVm) {
        if (vm.status === "failed") log.error(`${pairName(entry)}: ${level.vms} VM(s), round ${vm.round}, VM ${vm.vm} failed: ${vm.error}`);
      }
    },
    levelNotStarted: (entry, vms, reason) => log.warn(`${pairName(entry)}: not starting ${vms} VMs: ${reason}`),
  };
}

/** Every warning of a run's pairs, then what did not complete. */
export function logRunWarnings(log: Logger, entries: ReadonlyArray<{ target: string; vmm: string; status: string; warnings: readonly string[] }>): void {
  for (const entry of entries) {
    for (const warning of entry.warnings) log.warn(`${entry.target} on ${entry.vmm}: ${warning}`);
  }
  if (entries.every((e) => e.status === "unavailable")) log.error(runWarnings.noneAvailable());
  const notOk = entries.filter((e) => e.status !== "ok" && e.status !== "unavailable");
  if (notOk.length) log.warn(runWarnings.incomplete(notOk, entries.length));
}
