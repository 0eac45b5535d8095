// hyperfine-style progress for `performance`: the target and VMM being
// measured, its iteration and running median boot time, and the whole run's
// progress and time left (an upper bound when --precision may stop pairs early).
import { median } from "simple-statistics";
import type { PlanEntry } from "../performance/plan.js";
import type { RunObserver } from "../performance/runner/run-observer.js";
import type { EntryResult, IterationRecord, RunProgress } from "../performance/types.js";
import { StatusLine } from "../output/status-line.js";

const BAR_WIDTH = 20;

export class BenchmarkProgress {
  private measuringSince = 0;

  constructor(
    private readonly adaptive = false,
    readonly line = new StatusLine(),
  ) {}

  /** The progress line's part of the run's observer. */
  observer(): RunObserver {
    return {
      pairStarted: (entry) => this.start(entry),
      measuringStarted: () => this.measuring(),
      iterationMeasured: (entry, result, record, progress) => this.iteration(entry, result, record, progress),
    };
  }

  start(entry: PlanEntry): void {
    this.line.show(`${entry.target.name} on ${entry.backend.name}: building and starting…`);
  }

  measuring(): void {
    this.measuringSince = Date.now();
  }

  iteration(entry: PlanEntry, result: EntryResult, record: IterationRecord, progress: RunProgress): void {
    if (!this.line.enabled) return;
    const measured = result.iterations.filter((r) => !r.warmup);
    const filled = Math.round((progress.done / progress.atMost) * BAR_WIDTH);
    const bar = `▕${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}▏`;
    const bound = this.adaptive ? "≤" : "";
    const step = record.warmup ? "warm-up" : `iteration ${measured.length}`;
    const medianText = measured.length ? `, median boot ${(median(measured.map((r) => r.bootNs)) / 1e6).toFixed(2)} ms` : "";
    const perIterationMs = (Date.now() - this.measuringSince) / progress.done;
    const leftSeconds = Math.ceil((perIterationMs * (progress.atMost - progress.done)) / 1000);
    this.line.show(`${bar} ${progress.done}/${bound}${progress.atMost} · ${entry.target.name} on ${entry.backend.name} ${step}${medianText} · ${bound}~${leftSeconds} s left`);
  }

  end(): void {
    this.line.clear();
  }
}
