// A server guest measured end to end through the runner, against a stand-in
// whose boot is known by construction: the http workload run on the host,
// started a set time after its boot signal (host-process-vmm.ts). The first
// answer comes no sooner than that and soon after; the load is served and the
// guest's own count agrees with the host's; the body is what curl gets; a
// server that accepts connections and never answers fails with what was polled.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { HostHttpServer } from "../../src/performance/load/host-http-server.js";
import { wrkVersion } from "../../src/performance/load/wrk-load.js";
import { runPlan } from "../../src/performance/runner/run-plan.js";
import type { ServingSettings } from "../../src/performance/runner/serving.js";
import { buildWorkload } from "../../src/performance/targets/local/workload.js";
import { READY_MARKER, type TargetBuilder } from "../../src/performance/targets/types.js";
import { TEST_CACHE_DIR } from "../paths.js";
import { HostProcessVmm } from "./host-process-vmm.js";

const execFileAsync = promisify(execFile);
const BOOT_DELAY_MS = 300;

let dir: string;
let httpBinary: string;
let serving: ServingSettings;
let target: TargetBuilder;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "bt-serving-"));
  httpBinary = await buildWorkload("http", { cacheDir: TEST_CACHE_DIR, log: silentLogger });
  serving = { durationSeconds: 1, connections: 2, threads: 2, warmupSeconds: 1, generator: await wrkVersion() };
  const kernelPath = path.join(dir, "guest.elf");
  await writeFile(kernelPath, Buffer.alloc(4096));
  target = {
    name: "standin",
    workloads: ["http"],
    checkAvailable: async () => ({ available: true }),
    build: async () => ({ kernelPath, bootArgs: "", readyMarker: READY_MARKER }),
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const settings = (timeoutMs = 20_000) => ({ iterations: 2, warmup: 0, accel: "tcg" as const, vcpus: 1, workload: "http" as const, serving, timeoutMs, cacheDir: TEST_CACHE_DIR });

describe("a server guest through the runner (stand-in: the http workload on the host)", () => {
  it("times the first answer from the boot signal: no sooner than the server started, and soon after", async () => {
    const vmm = new HostProcessVmm((port) => [httpBinary, String(port)], BOOT_DELAY_MS);
    const [result] = await runPlan([{ target, backend: vmm }], settings(), silentLogger);
    expect(result!.status, result!.error).toBe("ok");
    expect(result!.iterations).toHaveLength(2);
    for (const iteration of result!.iterations) {
      const s = iteration.serving!;
      expect(s.firstAnswerNs).toBeGreaterThanOrEqual(BOOT_DELAY_MS * 1e6);
      // Polled every 10 ms, each refused attempt returns at once: the answer is noticed within tens of ms (a loaded host: within 400).
      expect(s.firstAnswerNs).toBeLessThan((BOOT_DELAY_MS + 400) * 1e6);
      expect(iteration.bootNs).toBeGreaterThanOrEqual(BOOT_DELAY_MS * 1e6);
      expect(s.probeIntervalMs).toBe(10);
      expect(s.firstAnswer.status).toBe(200);
      // The load: served, measured by wrk, and confirmed by the guest's own count.
      expect(s.load.requests).toBeGreaterThan(100);
      expect(s.load.errors).toEqual({ connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
      expect(s.load.latencyNs.p50).toBeLessThanOrEqual(s.load.latencyNs.p99);
      expect(s.servedByGuest).toBeGreaterThanOrEqual(s.load.requests + s.toolRequests);
      expect(s.servedByGuest).toBeLessThanOrEqual(s.load.requests + s.toolRequests + serving.connections * 2 + s.probeAttempts);
      expect(s.loadPeakRssBytes).toBeGreaterThanOrEqual(s.idleRssBytes);
      expect(s.idleRssBytes).toBeGreaterThan(0);
      // The run ends with the server's own end, after its stop request and the load.
      expect(iteration.runNs).toBeGreaterThan(s.firstAnswerNs + (serving.warmupSeconds + serving.durationSeconds) * 1e9);
    }
    // Nothing listens on the forwarded ports any more.
    for (const port of vmm.hostPorts) await expect(connects(port)).resolves.toBe(false);
  });

  it("keeps the body the guest answered, as curl receives it from the same server", async () => {
    const vmm = new HostProcessVmm((port) => [httpBinary, String(port)], 0);
    const [result] = await runPlan([{ target, backend: vmm }], { ...settings(), iterations: 1 }, silentLogger);
    expect(result!.status, result!.error).toBe("ok");
    const server = await HostHttpServer.start({ binaryPath: httpBinary });
    try {
      const { stdout } = await execFileAsync("curl", ["-sS", "--max-time", "5", `http://127.0.0.1:${server.port}/`]);
      expect(result!.iterations[0]!.serving!.firstAnswer.body).toBe(stdout);
    } finally {
      await server.stop();
    }
  });

  it("fails an iteration whose server accepts connections and never answers, naming what it polled, and leaves nothing listening", async () => {
    // Prints the ready marker, accepts every connection, never answers.
    const silent = (port: number) => [process.execPath, "-e", `require("net").createServer((s) => s.resume()).listen(${port}, "127.0.0.1", () => console.log("${READY_MARKER}"))`];
    const vmm = new HostProcessVmm(silent, 0);
    const [result] = await runPlan([{ target, backend: vmm }], { ...settings(2000), iterations: 1 }, silentLogger);
    expect(result!.status).toBe("failed");
    expect(result!.error).toMatch(new RegExp(`the guest did not answer HTTP GET http://127\\.0\\.0\\.1:${vmm.hostPorts[0]}/ \\(polled every 10 ms, each attempt at most 250 ms\\) within the \\d+(\\.\\d)? s timeout`));
    await expect(connects(vmm.hostPorts[0]!)).resolves.toBe(false);
  });

  it("fails an iteration whose server stops answering during the load, with what wrk counted before, in bounded time", async () => {
    // Answers keep-alive requests for 1.5 s after it starts listening (the probe, the warm-up, the start of
    // the load), then receives nothing more while its connections stay open: a guest whose network stalled.
    const stalling = (port: number) => [
      process.execPath,
      "-e",
      `const server = require("http").createServer((req, res) => { if (Date.now() < stallAt) res.end("ok\\n"); });
       let stallAt = Infinity;
       server.listen(${port}, "127.0.0.1", () => { stallAt = Date.now() + 1500; console.log("${READY_MARKER}"); });`,
    ];
    const vmm = new HostProcessVmm(stalling, 0);
    const started = Date.now();
    const [result] = await runPlan([{ target, backend: vmm }], { ...settings(), iterations: 1 }, silentLogger);
    expect(result!.status).toBe("failed");
    expect(result!.error).toMatch(
      new RegExp(`HTTP GET http://127\\.0\\.0\\.1:${vmm.hostPorts[0]}/quit \\(the stop request\\) got no complete answer within 5000 ms, after a load in which wrk counted [1-9]\\d* answers in 1\\.\\d s`),
    );
    // Warm-up, load and the stop request's own bound, not the iteration's whole allowance.
    expect(Date.now() - started).toBeLessThan(15_000);
    await expect(connects(vmm.hostPorts[0]!)).resolves.toBe(false);
  });
});

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
