// Why the order matters, and when a run stops, on simulated VMMs whose boot
// times follow a model on a simulated clock: the outcome is the same on every
// machine, however loaded.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { RUN_PHASES, BOOT_PHASES } from "../../src/vocabulary/boot-phases.js";
import type { PlanEntry } from "../../src/performance/plan.js";
import type { RunSettings } from "../../src/performance/run-settings.js";
import { runPlan } from "../../src/performance/runner/run-plan.js";
import type { EntryResult } from "../../src/performance/types.js";
import { compareSamples } from "../../src/results/compare/compare.js";
import { seededRandom } from "../results/fixtures.js";
import { SimulatedClock, SimulatedVmm, simulatedSettings, simulatedTarget, type BootModel } from "./simulated-vmm.js";

let clock: SimulatedClock;
let restoreClock: () => void;
const targets: Array<{ remove: () => void }> = [];

beforeEach(() => {
  clock = new SimulatedClock();
  restoreClock = clock.install().restore;
});
afterEach(() => {
  restoreClock();
  for (const target of targets.splice(0)) target.remove();
});

/** Two pairs that are the same guest on the same kind of VMM: any difference between them is the run's doing. */
function identicalPairs(model: BootModel): PlanEntry[] {
  const target = simulatedTarget("twin");
  targets.push(target);
  return ["drift-a", "drift-b"].map((name) => ({ target, backend: new SimulatedVmm(name, clock, model) }));
}

function bootMs(result: EntryResult): number[] {
  return result.iterations.filter((i) => !i.warmup).map((i) => i.bootNs / 1e6);
}

async function run(plan: PlanEntry[], settings: Partial<RunSettings>): Promise<EntryResult[]> {
  return runPlan(plan, simulatedSettings(settings), silentLogger);
}

describe("interleaved against sequential order on a host that drifts", () => {
  // Boots get slower as the run goes on (heat, other work, caches): 10 ms plus 5% of the time since the run began.
  const drifting: BootModel = (sinceRunStartMs) => 10 + 0.05 * sinceRunStartMs;

  it("sequential: two identical pairs come out significantly different under compare", async () => {
    const [a, b] = await run(identicalPairs(drifting), { order: "sequential", iterations: 10, warmup: 1 });
    const verdict = compareSamples(bootMs(a!), bootMs(b!), "time");
    expect(verdict.significant).toBe(true);
    expect(verdict.verdict).toBe("slower");
    expect(verdict.pValue!).toBeLessThan(0.001);
  });

  it("interleaved: the same two pairs show no significant difference, whatever the seed", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const [a, b] = await run(identicalPairs(drifting), { order: "interleaved", seed, iterations: 10, warmup: 1 });
      const verdict = compareSamples(bootMs(a!), bootMs(b!), "time");
      expect(verdict.verdict, `seed ${seed}`).toBe("no significant change");
      expect(verdict.pValue!, `seed ${seed}`).toBeGreaterThan(0.5);
    }
  });

  it("records when each iteration began, showing the order: warm-ups first, then one iteration of each pair per round", async () => {
    const results = await run(identicalPairs(drifting), { order: "interleaved", seed: 9, iterations: 3, warmup: 2 });
    const all = results.flatMap((r, pair) => r.iterations.map((i) => ({ pair, warmup: i.warmup, at: i.startedAt })));
    expect(all.every((i) => !Number.isNaN(Date.parse(i.at)))).toBe(true);
    const ordered = [...all].sort((x, y) => x.at.localeCompare(y.at));
    // ISO times of one run sort as the run went (ties keep each pair's own order).
    expect(ordered.slice(0, 4).every((i) => i.warmup)).toBe(true);
    expect(ordered.slice(4).every((i) => !i.warmup)).toBe(true);
  });

  it("repeats the same order from the same seed", async () => {
    const order = async (seed: number): Promise<number[]> => {
      // The model numbers the run's 12 launches (one clock serves every run here): each pair's boot times tell which launches it got.
      const results = await run(identicalPairs((_, launch) => 10 + (launch % 12)), { order: "interleaved", seed, iterations: 6, warmup: 0 });
      return results.flatMap((r) => bootMs(r));
    };
    expect(await order(77)).toEqual(await order(77));
    expect(await order(77)).not.toEqual(await order(78));
  });
});

describe("adaptive repetitions (--precision)", () => {
  it("stops a pair with no spread at -n, precision reached", async () => {
    const [steady] = await run(identicalPairs(() => 12).slice(0, 1), { iterations: 8, warmup: 1, precisionPercent: 1, maxIterations: 40 });
    expect(bootMs(steady!)).toEqual(Array(8).fill(12));
    expect(steady!.precision).toEqual({ targetPercent: 1, reached: true, halfWidthPercent: 0, medianCi95LowMs: 12, medianCi95HighMs: 12 });
    expect(steady!.warnings.join(" ")).not.toMatch(/precision/);
  });

  it("stops at --max-iterations when the precision cannot be reached, and says so", async () => {
    const random = seededRandom(5);
    const [noisy] = await run(identicalPairs(() => 5 + 95 * random()).slice(0, 1), { iterations: 5, warmup: 0, precisionPercent: 0.5, maxIterations: 15 });
    expect(bootMs(noisy!)).toHaveLength(15);
    expect(noisy!.precision).toMatchObject({ targetPercent: 0.5, reached: false });
    expect(noisy!.precision!.halfWidthPercent!).toBeGreaterThan(0.5);
    expect(noisy!.warnings).toContainEqual(expect.stringMatching(/^--precision ±0\.5%: not reached after 15 iterations \(the --max-iterations limit\); the 95% interval of the median boot time: it is ±\d+\.\d%/));
  });

  it("keeps interleaving the pairs still running once one has left", async () => {
    const random = seededRandom(11);
    const target = simulatedTarget("mixed");
    targets.push(target);
    const plan: PlanEntry[] = [
      { target, backend: new SimulatedVmm("steady", clock, () => 8) },
      { target, backend: new SimulatedVmm("noisy", clock, () => 5 + 95 * random()) },
    ];
    const [steady, noisy] = await run(plan, { order: "interleaved", seed: 3, iterations: 6, warmup: 0, precisionPercent: 1, maxIterations: 12 });
    expect(bootMs(steady!)).toHaveLength(6);
    expect(bootMs(noisy!)).toHaveLength(12);
    // After the steady pair left, the noisy one ran alone: its last six iterations began after the steady pair's last.
    const lastSteady = steady!.iterations.at(-1)!.startedAt;
    expect(noisy!.iterations.slice(6).every((i) => i.startedAt >= lastSteady)).toBe(true);
  });
});

describe("boot phases", () => {
  it("from the boot signal to the guest's end, sum to the run time to the nanosecond; none is negative", async () => {
    const random = seededRandom(2);
    const [result] = await run(identicalPairs(() => 3 + 40 * random()).slice(0, 1), { iterations: 12, warmup: 1 });
    for (const iteration of result!.iterations) {
      const phases = iteration.phasesNs;
      for (const phase of BOOT_PHASES) expect(phases[phase], phase).toBeGreaterThanOrEqual(0);
      expect(RUN_PHASES.reduce((sum, phase) => sum + phases[phase], 0)).toBe(iteration.runNs);
      expect(phases.bootToFirstOutput + phases.firstOutputToReady).toBe(iteration.bootNs);
      // The simulated VMM's own figures: 5 ms to start, 1 ms from ready to the end, 2 ms to be reaped.
      expect(phases).toMatchObject({ vmmStartup: 5e6, readyToGuestEnd: 1e6, guestEndToReaped: 2e6 });
    }
  });
});
