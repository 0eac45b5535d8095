// What a run tells the edge while it goes on. The measuring core returns data
// and says what happens through these calls; the command line turns them into
// the seed's log lines, warnings and the progress line.
import type { PlanEntry } from "../plan.js";
import type { EntryResult, IterationRecord, RunProgress } from "../types.js";

export interface RunObserver {
  /** A pair's preparation (its build) starts. */
  pairStarted?(entry: PlanEntry): void;
  /** A pair cannot run here: result.status is "skipped" (named by the user) or "unavailable" (chosen by the tool), result.error says why. */
  pairLeftOut?(entry: PlanEntry, result: EntryResult): void;
  /** A pair failed, or was interrupted (result.status); result.error says why, `kept` what was measured before ("3 iteration(s)"). */
  pairFailed?(entry: PlanEntry, result: Pick<EntryResult, "status" | "error">, kept: string): void;
  /** Under --accel auto, KVM cannot run the pair's guest: it is measured under TCG. `message` says why and what to do. */
  kvmFallback?(entry: PlanEntry, message: string): void;
  /** Every pair is prepared; the first boot comes next. */
  measuringStarted?(): void;
  /** A pair's iteration of a round of the schedule starts (round 0: warm-up). */
  iterationStarted?(entry: PlanEntry, round: number, warmup: boolean): void;
  /** The guest of a measured iteration is ready; its end is awaited. */
  booted?(entry: PlanEntry): void;
  /** An iteration was measured (warm-ups too): `record`, the last of result.iterations. */
  iterationMeasured?(entry: PlanEntry, result: EntryResult, record: IterationRecord, progress: RunProgress): void;
  /** With --precision: the pair's median boot time got as precise as asked. */
  precisionReached?(entry: PlanEntry, iterations: number, targetPercent: number): void;
}
