// hyperfine-style progress for `performance`: target and VMM, iteration i of
// n, the running median boot time and the time left.
import { median } from "simple-statistics";
import type { IterationRecord, PlanEntry, RunSettings } from "../performance/runner.js";
import { StatusLine } from "../output/status-line.js";

const BAR_WIDTH = 20;

export class BenchmarkProgress {
  private entryStartedAt = 0;

  constructor(readonly line = new StatusLine()) {}

  start(entry: PlanEntry): void {
    this.entryStartedAt = Date.now();
    this.line.show(`${entry.target.name} on ${entry.backend.name}: building and starting…`);
  }

  iteration(entry: PlanEntry, record: IterationRecord, measured: IterationRecord[], settings: RunSettings): void {
    if (!this.line.enabled) return;
    const total = settings.warmup + settings.iterations;
    const done = record.index + 1;
    const filled = Math.round((done / total) * BAR_WIDTH);
    const bar = `▕${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}▏`;
    const step = record.warmup ? `warm-up ${done}/${settings.warmup}` : `iteration ${done - settings.warmup}/${settings.iterations}`;
    const medianText = measured.length ? `, median boot ${(median(measured.map((r) => r.bootNs)) / 1e6).toFixed(2)} ms` : "";
    const perIterationMs = (Date.now() - this.entryStartedAt) / done;
    const leftSeconds = Math.ceil((perIterationMs * (total - done)) / 1000);
    this.line.show(`${entry.target.name} on ${entry.backend.name} ${bar} ${step}${medianText}, ~${leftSeconds} s left`);
  }

  end(): void {
    this.line.clear();
  }
}
