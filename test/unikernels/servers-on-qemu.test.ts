// Unikernels as servers, end to end as a user runs them: unikraft, osv and
// linux on QEMU (pc, TCG) with the http workload in one run of the CLI, built
// from the pinned sources (../shared/sources): each answers, serves wrk, and
// confirms by its own count what wrk counted; the run measures the load
// generator's ceiling beside them. Then linux on microvm, and density of two
// servers at once. Nothing is left behind.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { HostHttpServer } from "../../src/performance/load/host-http-server.js";
import { buildWorkload } from "../../src/performance/targets/local/workload.js";
import { DensityRunSchema } from "../../src/results/density-schema.js";
import { PerformanceRunSchema, type PerformanceRun } from "../../src/results/schema.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { SOURCES_MIRROR, TEST_CACHE_DIR } from "../paths.js";

const execFileAsync = promisify(execFile);
/** Cold builds: Unikraft's network configuration and OSv's kernel take minutes. */
const BUILD_TIMEOUT_MS = 45 * 60_000;
const sourcesMirror = SOURCES_MIRROR ? ["--sources-mirror", SOURCES_MIRROR] : [];

let tmp: string;
let privateTmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-servers-"));
  privateTmp = path.join(tmp, "tmp");
  await execFileAsync("mkdir", ["-p", privateTmp]);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function expectNothingLeft(): Promise<void> {
  expect(await processesMentioning(privateTmp)).toEqual([]);
  expect(await readdir(privateTmp)).toEqual([]);
}

describe("unikraft, osv and linux as servers on QEMU pc (TCG)", () => {
  let cli: CliResult;
  let run: PerformanceRun;
  let body: string;

  beforeAll(async () => {
    cli = await runCli(
      [
        "performance", "unikraft:qemu", "osv:qemu", "linux:qemu", "--workload", "http", "--accel", "tcg", "-n", "2", "-w", "0",
        "--load-duration", "1", "--output", "json", "--results-dir", path.join(tmp, "results"), "--cache-dir", TEST_CACHE_DIR, ...sourcesMirror,
      ],
      { TMPDIR: privateTmp },
    );
    run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
    // What the same server answers on the host, asked by curl.
    const server = await HostHttpServer.start({ binaryPath: await buildWorkload("http", { cacheDir: TEST_CACHE_DIR, log: silentLogger }) });
    try {
      body = (await execFileAsync("curl", ["-sS", "--max-time", "5", `http://127.0.0.1:${server.port}/`])).stdout;
    } finally {
      await server.stop();
    }
  }, BUILD_TIMEOUT_MS);

  it("measures all three and exits 0", () => {
    expect(cli.code, cli.stderr.split("\n").slice(-30).join("\n")).toBe(0);
    expect(run.results.map((e) => [e.target, e.status])).toEqual([["unikraft", "ok"], ["osv", "ok"], ["linux", "ok"]]);
    expect(run.config.load).toMatchObject({ durationSeconds: 1, connections: 2, generator: expect.stringMatching(/^wrk /) });
  });

  it("times each first answer, the body curl gets, and serves wrk with the count the guest confirms", () => {
    for (const entry of run.results) {
      for (const iteration of entry.iterations) {
        const s = iteration.serving!;
        expect(s, `${entry.target}`).toBeDefined();
        expect(s.firstAnswer).toEqual({ status: 200, body });
        expect(s.firstAnswerNs).toBeGreaterThan(0);
        // Answering comes after booting, but for the two pipes' order (console and network): within a poll.
        expect(s.firstAnswerNs, entry.target).toBeGreaterThan(iteration.bootNs - 50e6);
        expect(s.load.requests, entry.target).toBeGreaterThan(100);
        expect(s.load.latencyNs.p50).toBeLessThanOrEqual(s.load.latencyNs.p99);
        expect(s.servedByGuest, entry.target).toBeGreaterThanOrEqual(s.load.requests + s.toolRequests);
        expect(iteration.runNs).toBeGreaterThan(s.firstAnswerNs + 1e9);
      }
      expect(entry.summary?.requestsPerSecond?.n).toBe(2);
      expect(entry.summary?.firstAnswerMs?.median).toBeGreaterThan(0);
    }
    expect(cli.stderr).toMatch(/INFO\[[^\]]+\] Time to first answer: \d+\.\d\dms/);
    expect(cli.stderr).toMatch(/INFO\[[^\]]+\] Requests per second: \d+ \(latency p50 [\d.]+ms, p99 [\d.]+ms\)/);
  });

  it("measures the load generator's ceiling against the same server on the host", () => {
    expect(run.generatorCeiling).toMatchObject({ generator: run.config.load!.generator });
    expect(run.generatorCeiling!.requestsPerSecond).toBeGreaterThan(0);
  });

  it("leaves nothing behind", expectNothingLeft);
});

describe("linux as a server on QEMU microvm, and two at once through density (TCG)", () => {
  it("serves on microvm (virtio-net-device)", async () => {
    const cli = await runCli(
      ["performance", "linux:qemu-microvm", "--workload", "http", "--accel", "tcg", "-n", "1", "-w", "0", "--load-duration", "1", "--output", "json", "--results-dir", path.join(tmp, "microvm"), "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: privateTmp },
    );
    expect(cli.code, cli.stderr.split("\n").slice(-20).join("\n")).toBe(0);
    const [entry] = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results;
    expect(entry!.iterations[0]!.serving!.load.requests).toBeGreaterThan(100);
    await expectNothingLeft();
  });

  it("density: two servers, each on its own forwarded port, ready when each answers, the time until both answer", async () => {
    const cli = await runCli(
      ["density", "linux:qemu", "--workload", "http", "--vms", "2", "--rounds", "1", "--accel", "tcg", "--output", "json", "--results-dir", path.join(tmp, "density"), "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: privateTmp },
    );
    expect(cli.code, cli.stderr.split("\n").slice(-20).join("\n")).toBe(0);
    const [level] = DensityRunSchema.parse(JSON.parse(cli.stdout)).results[0]!.levels;
    expect(level!.perVm.map((vm) => vm.status)).toEqual(["ok", "ok"]);
    expect(level!.rounds[0]!.allReadyNs).toBeGreaterThanOrEqual(Math.max(...level!.perVm.map((vm) => vm.bootNs!)) - 1);
    await expectNothingLeft();
  });
});
