// What a density level comes to over its rounds: the table's row and the
// figures --until-failure decides by.
import { median } from "simple-statistics";
import { summarize } from "../../statistics/summary.js";
import type { LevelRound, LevelSummary } from "./types.js";

function nsToMs(ns: number | undefined): number | undefined {
  return ns === undefined ? undefined : ns / 1e6;
}

function medianOf(values: readonly number[]): number | undefined {
  return values.length ? median([...values]) : undefined;
}

function meanOf(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

function defined<T>(values: ReadonlyArray<T | undefined>): T[] {
  return values.filter((v): v is T => v !== undefined);
}

export function summarizeLevel(vms: number, rounds: readonly LevelRound[]): LevelSummary {
  const perVm = rounds.flatMap((r) => r.perVm);
  const boots = defined(perVm.map((v) => (v.status === "ok" ? nsToMs(v.bootNs) : undefined)));
  const runs = defined(perVm.map((v) => (v.status === "ok" ? nsToMs(v.runNs) : undefined)));
  const bootSummary = boots.length ? summarize(boots) : undefined;
  const perRoundMean = (field: "rssBytes" | "pssBytes" | "ussBytes"): number | undefined =>
    medianOf(defined(rounds.map((r) => meanOf(defined(r.perVm.map((v) => v[field]))))));
  const summary: LevelSummary = {
    vmsTotal: perVm.length,
    failures: perVm.filter((v) => v.status !== "ok").length,
    ...(bootSummary ? { bootMedianMs: bootSummary.median, bootP95Ms: bootSummary.p95 } : {}),
  };
  const optional: Partial<LevelSummary> = {
    runMedianMs: medianOf(runs),
    allReadyMedianMs: medianOf(defined(rounds.map((r) => nsToMs(r.allReadyNs)))),
    releaseSpreadMaxMs: rounds.length ? Math.max(...defined(rounds.map((r) => nsToMs(r.releaseSpreadNs)))) : undefined,
    rssPerVmBytes: perRoundMean("rssBytes"),
    pssPerVmBytes: perRoundMean("pssBytes"),
    ussPerVmBytes: perRoundMean("ussBytes"),
    peakRssMaxBytes: perVm.some((v) => v.peakRssBytes !== undefined) ? Math.max(...defined(perVm.map((v) => v.peakRssBytes))) : undefined,
    hostMemoryPerVmBytes: medianOf(
      defined(rounds.map((r) => (r.memAvailableWhileUpBytes === undefined ? undefined : (r.memAvailableBeforeBytes - r.memAvailableWhileUpBytes) / vms))),
    ),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && Number.isFinite(value)) (summary as unknown as Record<string, number>)[key] = value;
  }
  return summary;
}
