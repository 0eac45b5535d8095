// The order in which a run's iterations are measured. Sequential is one pair
// after the other, as the seed does; interleaved first warms every pair up,
// then measures round after round, one iteration of each pair still running
// per round, in an order shuffled per round from a recorded seed, so that
// whatever drifts during a run (other jobs, CPU frequency, heat, caches)
// spreads over every pair alike instead of showing as a difference between them.
import mt19937 from "@stdlib/random-base-mt19937";
import { shuffle } from "simple-statistics";
import { MAX_SEED, type Order } from "../../vocabulary/orders.js";

export interface ScheduleOptions {
  order: Order;
  /** Warm-up iterations of each pair, before any measured one (-w). */
  warmup: number;
  /** Measured iterations each pair gets at least (-n). */
  minIterations: number;
  /** At most (--max-iterations); the same as minIterations when the count is fixed. */
  maxIterations: number;
  /** Seeds the shuffle of each interleaved round. */
  seed: number;
}

export interface ScheduleStep {
  /** Index of the pair in the plan. */
  pair: number;
  warmup: boolean;
  /** 1-based round of the interleaved order; 0 for warm-ups and the sequential order. */
  round: number;
}

interface PairState {
  warmups: number;
  measured: number;
  left: boolean;
}

export class IterationSchedule {
  private readonly pairs: PairState[];
  private readonly random: () => number;
  private roundQueue: number[] = [];
  private round = 0;
  private sequentialPair = 0;

  /**
   * @param isPrecise whether a pair's figures are already precise enough for it
   *   to stop between minIterations and maxIterations (adaptive repetitions);
   *   asked at the start of each round, and before each sequential iteration.
   */
  constructor(
    pairCount: number,
    private readonly options: ScheduleOptions,
    private readonly isPrecise: (pair: number) => boolean = () => false,
  ) {
    if (options.maxIterations < options.minIterations) {
      throw new Error(`maxIterations (${options.maxIterations}) is below minIterations (${options.minIterations})`);
    }
    this.pairs = Array.from({ length: pairCount }, () => ({ warmups: 0, measured: 0, left: false }));
    const generator = mt19937.factory({ seed: options.seed });
    this.random = () => generator() / 2 ** 32;
  }

  /** The next iteration to run, counted as done; undefined when every pair is finished. */
  next(): ScheduleStep | undefined {
    return this.options.order === "sequential" ? this.nextSequential() : this.nextInterleaved();
  }

  /** Measured iterations scheduled for the pair so far. */
  measured(pair: number): number {
    return this.pairs[pair]!.measured;
  }

  /** The pair starts over, warm-ups included (e.g. after falling back from KVM to TCG). */
  restart(pair: number): void {
    const state = this.pairs[pair]!;
    state.warmups = 0;
    state.measured = 0;
  }

  /** The pair gets no more iterations (it failed). */
  leave(pair: number): void {
    this.pairs[pair]!.left = true;
  }

  /**
   * How many iterations the schedule can still give, at most: every missing
   * warm-up, and up to maxIterations for pairs not yet precise.
   */
  stepsLeftAtMost(): number {
    let steps = 0;
    this.pairs.forEach((state, pair) => {
      if (state.left) return;
      steps += Math.max(0, this.options.warmup - state.warmups);
      if (this.wantsMore(pair)) steps += this.options.maxIterations - state.measured;
    });
    return steps;
  }

  /** Whether the pair is still to be measured: not left, and short of its minimum, or of its maximum while not precise. */
  wantsMore(pair: number): boolean {
    const { left, measured } = this.pairs[pair]!;
    if (left) return false;
    if (measured < this.options.minIterations) return true;
    return measured < this.options.maxIterations && !this.isPrecise(pair);
  }

  private warmupOf(pair: number): ScheduleStep | undefined {
    const state = this.pairs[pair]!;
    if (state.left || state.warmups >= this.options.warmup) return undefined;
    state.warmups++;
    return { pair, warmup: true, round: 0 };
  }

  private nextSequential(): ScheduleStep | undefined {
    for (; this.sequentialPair < this.pairs.length; this.sequentialPair++) {
      const pair = this.sequentialPair;
      const warmup = this.warmupOf(pair);
      if (warmup) return warmup;
      if (this.wantsMore(pair)) {
        this.pairs[pair]!.measured++;
        return { pair, warmup: false, round: 0 };
      }
    }
    return undefined;
  }

  private nextInterleaved(): ScheduleStep | undefined {
    // Every pair's warm-ups come before any measured iteration, also for a pair that started over.
    for (let pair = 0; pair < this.pairs.length; pair++) {
      const warmup = this.warmupOf(pair);
      if (warmup) return warmup;
    }
    for (;;) {
      const pair = this.roundQueue.shift();
      if (pair === undefined) {
        const running = this.pairs.flatMap((_, p) => (this.wantsMore(p) ? [p] : []));
        if (running.length === 0) return undefined;
        this.round++;
        this.roundQueue = shuffle(running, this.random);
        continue;
      }
      if (this.pairs[pair]!.left) continue;
      this.pairs[pair]!.measured++;
      return { pair, warmup: false, round: this.round };
    }
  }
}

/** A fresh seed for a run that was given none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * (MAX_SEED + 1));
}
