// Soak: many consecutive iterations of the null guest on qemu-microvm through
// the runner, checking after every one that nothing accumulates: open file
// descriptors, child processes, threads, temporary directories, and the tool's
// own memory beyond the records it keeps on purpose.
//
// The suite runs SOAK_ITERATIONS (60); the full soak of 200 iterations:
//   BENCHMARK_TOOL_SOAK_ITERATIONS=200 npx vitest run test/performance/soak.test.ts
import { getEventListeners } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { runPlan } from "../../src/performance/runner/run-plan.js";
import { nullGuest } from "../../src/performance/targets/local/null-guest.js";
import { QemuBackend } from "../../src/performance/vmm/qemu/qemu-backend.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { TEST_CACHE_DIR } from "../paths.js";

const SOAK_ITERATIONS = Number(process.env.BENCHMARK_TOOL_SOAK_ITERATIONS ?? 60);
/** Iterations before the baseline is taken: lazily loaded code and the first allocations settle. */
const SETTLE_ITERATIONS = 20;

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

interface Snapshot {
  fds: number;
  threads: number;
  children: number;
  /** Listeners on the run's abort signal and on the process (exit, signals). */
  listeners: number;
  /** The JavaScript heap but for compiled code, which grows as the JIT optimises and stays bounded. */
  heapBytes: number;
  externalBytes: number;
}

function kib(bytes: number): string {
  return `${bytes >= 0 ? "+" : ""}${(bytes / 1024).toFixed(0)} KiB`;
}

function childPids(): number[] {
  const children: number[] = [];
  for (const task of readdirSync("/proc/self/task")) {
    const list = readFileSync(`/proc/self/task/${task}/children`, "utf8").trim();
    if (list) children.push(...list.split(" ").map(Number));
  }
  return children;
}

const interrupt = new AbortController();

function snapshot(): Snapshot {
  collectGarbage();
  const processEvents = ["exit", "SIGINT", "SIGTERM", "SIGHUP"] as const;
  return {
    fds: readdirSync("/proc/self/fd").length,
    threads: readdirSync("/proc/self/task").length,
    children: childPids().length,
    listeners: getEventListeners(interrupt.signal, "abort").length + processEvents.reduce((n, event) => n + process.listenerCount(event), 0),
    heapBytes: v8
      .getHeapSpaceStatistics()
      .filter((space) => !space.space_name.startsWith("code"))
      .reduce((bytes, space) => bytes + space.space_used_size, 0),
    externalBytes: process.memoryUsage().external,
  };
}

describe(`soak: ${SOAK_ITERATIONS} iterations of null on qemu-microvm (TCG)`, () => {
  let privateTmp: string;
  const savedTmpdir = process.env.TMPDIR;

  beforeAll(async () => {
    privateTmp = await mkdtemp(path.join(os.tmpdir(), "bt-soak-"));
    // The iterations make their private directories under os.tmpdir().
    process.env.TMPDIR = privateTmp;
  });

  afterAll(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    await rm(privateTmp, { recursive: true, force: true });
  });

  it("leaves no file descriptor, process, thread, directory or memory behind from one iteration to the next", { timeout: 30 * 60_000 }, async () => {
    const leftovers: string[] = [];
    const run = async (iterations: number): Promise<void> => {
      const [result] = await runPlan(
        [{ target: nullGuest, backend: new QemuBackend("qemu-microvm", "microvm") }],
        { iterations, warmup: 0, accel: "tcg", vcpus: 1, workload: "hello", timeoutMs: 30_000, cacheDir: TEST_CACHE_DIR },
        silentLogger,
        interrupt.signal,
        {
          iterationMeasured: (_entry, _result, record) => {
            // Each iteration's VMM has exited and its directory is gone by now.
            const dirs = readdirSync(privateTmp);
            const vmms = childPids().filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(privateTmp));
            if (dirs.length || vmms.length) leftovers.push(`after iteration ${record.index}: directories ${dirs.join(", ")}; VMM pids ${vmms.join(", ")}`);
          },
        },
      );
      expect(result!.status, result!.error).toBe("ok");
      expect(result!.iterations).toHaveLength(iterations);
    };
    // The same state twice, after a whole run whose results were dropped: once
    // after a few iterations (lazily loaded code and first allocations settle),
    // once after the soak. Anything an iteration leaks shows as the difference.
    await run(SETTLE_ITERATIONS);
    const settled = snapshot();
    await run(SOAK_ITERATIONS);
    const last = snapshot();
    expect(leftovers).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
    expect(await readdir(privateTmp)).toEqual([]);

    const heapGrowth = last.heapBytes - settled.heapBytes;
    const externalGrowth = last.externalBytes - settled.externalBytes;
    console.info(
      `soak: ${SOAK_ITERATIONS} iterations: fds ${settled.fds} -> ${last.fds}, threads ${settled.threads} -> ${last.threads}, ` +
        `children ${settled.children} -> ${last.children}, listeners ${settled.listeners} -> ${last.listeners}, heap ${kib(heapGrowth)}, external ${kib(externalGrowth)}`,
    );
    expect(last.fds, "open file descriptors").toBeLessThanOrEqual(settled.fds);
    expect(last.threads, "threads").toBeLessThanOrEqual(settled.threads);
    // At most the watchdog, started with the first iteration.
    expect(last.children, "child processes").toBeLessThanOrEqual(Math.min(settled.children, 1));
    expect(last.listeners, "event listeners").toBeLessThanOrEqual(settled.listeners);
    // Without a leak the heap ends within about ±400 KiB of where it was,
    // whether after 60 or 200 iterations (late settling, the test runner's own
    // work). A leak of some KiB per iteration, such as one listener left on
    // the run's signal each time (+500 KiB in 60 iterations), passes this limit
    // in the full soak; the listener count above catches that one at once.
    expect(heapGrowth, "heap growth in bytes").toBeLessThan(2 ** 20);
    expect(externalGrowth, "external memory growth in bytes").toBeLessThan(256 * 1024);
  });
});
