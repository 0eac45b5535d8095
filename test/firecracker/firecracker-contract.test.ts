// The Firecracker driver against a stand-in that validates every request
// against Firecracker's API specification (fake-firecracker.mjs): the whole
// CLI run, then the failure paths of one iteration. No real Firecracker can run
// here; real-firecracker.test.ts boots the null guest where one can.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { runIteration, type IterationRequest } from "../../src/performance/runner/iteration.js";
import { IterationTimeoutError } from "../../src/performance/vm/deadline.js";
import { MemoryMonitor } from "../../src/performance/measure/memory-monitor.js";
import { nullGuest } from "../../src/performance/targets/local/null-guest.js";
import type { BootArtifacts } from "../../src/performance/targets/types.js";
import { VmmExitedError } from "../../src/performance/vmm/errors.js";
import { FirecrackerApiClient, FirecrackerApiError } from "../../src/performance/vmm/firecracker/api-client.js";
import { FIRECRACKER_BOOT_TIMER_ADDRESS } from "../../src/performance/vmm/firecracker/boot-timer.js";
import { FirecrackerBackend } from "../../src/performance/vmm/firecracker/firecracker-backend.js";
import { PerformanceRunSchema } from "../../src/results/schema.js";
import { runCli } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { iterationRequest } from "../helpers/iteration-request.js";
import { standInKvmEnv } from "../helpers/standin-kvm.js";
import { PROJECT_ROOT, TEST_CACHE_DIR } from "../paths.js";

const FAKE = path.join(PROJECT_ROOT, "test/firecracker/fake-firecracker.mjs");

interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  ok: boolean;
  errors: string[];
}

async function recorded(file: string): Promise<RecordedRequest[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as RecordedRequest);
}

let scratch: string;
let privateTmp: string;
const savedTmpdir = process.env.TMPDIR;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "bt-fc-scratch-"));
  privateTmp = await mkdtemp(path.join(os.tmpdir(), "bt-fc-tmp-"));
});

afterAll(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await rm(scratch, { recursive: true, force: true });
  await rm(privateTmp, { recursive: true, force: true });
});

describe("performance null:firecracker through the CLI, on the spec-validating stand-in (with or without /dev/kvm)", () => {
  async function runOnFake(name: string, extraArgs: string[], env: NodeJS.ProcessEnv = {}) {
    const recordFile = path.join(scratch, `${name}.jsonl`);
    const cli = await runCli(
      ["performance", "null:firecracker", "--firecracker-bin", FAKE, "-n", "2", "--output", "json", "--results-dir", path.join(scratch, "results"), "--cache-dir", TEST_CACHE_DIR, ...extraArgs],
      { TMPDIR: privateTmp, FAKE_FC_RECORD: recordFile, ...(await standInKvmEnv(scratch)), ...env },
    );
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
    return { cli, requests: await recorded(recordFile) };
  }

  it("boots the null guest 1+2 times, every request valid, with Firecracker's boot timer beside the tool's boot time", async () => {
    const { cli, requests } = await runOnFake("boot-timer", ["--boot-timer"]);
    expect(cli.code, cli.stderr).toBe(0);
    const run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
    const [entry] = run.results;
    expect(entry).toMatchObject({ target: "null", vmm: "firecracker", status: "ok", accel: "kvm", vmmVersion: "v1.16.1" });
    expect(run.host.vmmVersions).toEqual({ firecracker: "v1.16.1" });
    expect(run.config.bootTimer).toBe(true);
    expect(entry!.bootArgs).toBe(`exit=i8042 boot_timer=${FIRECRACKER_BOOT_TIMER_ADDRESS}`);
    expect(entry!.commandLine).toEqual([FAKE, "--api-sock", expect.stringMatching(/\/api\.sock$/), "--boot-timer"]);
    expect(entry!.iterations).toHaveLength(3);
    for (const iteration of entry!.iterations) {
      expect(iteration.vmmStartupNs).toBeGreaterThan(0);
      expect(iteration.bootNs).toBeGreaterThan(0);
      expect(iteration.bootNs).toBeLessThanOrEqual(iteration.runNs);
      expect(iteration.guestEndReason).toBe("vmm-exit");
      expect(iteration.peakRssBytes).toBeGreaterThan(1024 * 1024);
      // Firecracker exits with its guest: the peak is the last sample's.
      expect(iteration.peakRssExact).toBe(false);
      expect(iteration.vmmReportedBootNs).toBeGreaterThan(0);
      expect(iteration.vmmReportedBootNs!).toBeLessThan(iteration.runNs);
    }
    expect(cli.stderr).toMatch(/Time to boot as the VMM measured it: \d+\.\d\dms/);

    // Three boots, five requests each, in this order, every one valid against the spec.
    expect(requests.filter((r) => !r.ok)).toEqual([]);
    const perBoot = ["PUT /logger", "PUT /metrics", "PUT /boot-source", "PUT /machine-config", "PUT /actions"];
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([...perBoot, ...perBoot, ...perBoot]);
    const [logger, metrics, bootSource, machine, action] = requests;
    // The log sits beside the API socket, in the iteration's private directory (the console is stdout).
    expect(path.dirname(requests[10]!.body!.log_path as string)).toBe(path.dirname(entry!.commandLine![2]!));
    expect(logger!.body).toMatchObject({ log_path: expect.stringMatching(/firecracker\.log$/), level: "Info" });
    expect(metrics!.body!.metrics_path).toMatch(/metrics\.json$/);
    expect(bootSource!.body).toEqual({ kernel_image_path: expect.stringMatching(/null\.elf$/), boot_args: entry!.bootArgs });
    expect(machine!.body).toEqual({ vcpu_count: 1, mem_size_mib: 128 });
    expect(action!.body).toEqual({ action_type: "InstanceStart" });
  });

  it("without --boot-timer: no device, no boot_timer argument, no figure; --vcpus and --memory reach machine-config", async () => {
    const { cli, requests } = await runOnFake("plain", ["--vcpus", "2", "--memory", "64", "-w", "0"]);
    expect(cli.code, cli.stderr).toBe(0);
    const entry = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.bootArgs).toBe("exit=i8042");
    expect(entry.commandLine).not.toContain("--boot-timer");
    expect(entry.iterations.every((i) => i.vmmReportedBootNs === undefined)).toBe(true);
    expect(requests.filter((r) => !r.ok)).toEqual([]);
    expect(requests.filter((r) => r.path === "/machine-config").map((r) => r.body)).toEqual([
      { vcpu_count: 2, mem_size_mib: 64 },
      { vcpu_count: 2, mem_size_mib: 64 },
    ]);
  });

  it("--accel tcg skips Firecracker with the reason", async () => {
    const { cli, requests } = await runOnFake("tcg", ["--accel", "tcg"]);
    expect(cli.code).toBe(1);
    const entry = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.status).toBe("skipped");
    expect(entry.error).toMatch(/firecracker runs guests only under kvm, and --accel tcg was requested/);
    expect(requests).toEqual([]);
  });

  it("an API 400 fails the entry with the endpoint and Firecracker's fault_message", async () => {
    const { cli } = await runOnFake("fault", [], { FAKE_FC_MODE: "fault-on-boot-source" });
    expect(cli.code).toBe(1);
    const entry = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.status).toBe("failed");
    expect(entry.error).toMatch(/Firecracker rejected PUT \/boot-source \(HTTP 400\): The kernel file cannot be opened/);
  });

  it("a --firecracker-bin that does not exist is refused before anything starts", async () => {
    const cli = await runCli(["performance", "null:firecracker", "--firecracker-bin", path.join(scratch, "no-such-firecracker"), "-n", "1", "--output", "json", "--results-dir", path.join(scratch, "results")]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/--firecracker-bin \S+no-such-firecracker does not exist; give the path of the executable/);
  });

  it("a FIRECRACKER_BIN that does not exist is a skip that says how to get Firecracker", async () => {
    const cli = await runCli(["performance", "null:firecracker", "-n", "1", "--output", "json", "--results-dir", path.join(scratch, "results")], {
      FIRECRACKER_BIN: path.join(scratch, "no-such-firecracker"),
      ...(await standInKvmEnv(scratch)),
    });
    expect(cli.code).toBe(1);
    const entry = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.status).toBe("skipped");
    expect(entry.error).toMatch(/no-such-firecracker \(--firecracker-bin or FIRECRACKER_BIN\) is not an executable file/);
  });

  it("without KVM, Firecracker is skipped with the reason, and the stand-in is never started", async () => {
    const { cli, requests } = await runOnFake("no-kvm", [], { BENCHMARK_TOOL_KVM_DEVICE: path.join(scratch, "no-such-kvm") });
    expect(cli.code).toBe(1);
    const entry = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.status).toBe("skipped");
    expect(entry.error).toMatch(/Firecracker needs KVM, and \S+no-such-kvm does not exist: enable virtualization/);
    expect(requests).toEqual([]);
  });
});

describe("one Firecracker iteration's failure paths (stand-in)", () => {
  const monitor = new MemoryMonitor();
  const backend = new FirecrackerBackend({ binary: FAKE });
  let artifacts: BootArtifacts;
  const savedMode = process.env.FAKE_FC_MODE;

  beforeAll(async () => {
    artifacts = await nullGuest.build({ vmm: "firecracker", workload: "hello", cacheDir: TEST_CACHE_DIR, log: silentLogger });
    // runIteration makes its private directory under os.tmpdir().
    process.env.TMPDIR = privateTmp;
  });

  afterEach(async () => {
    if (savedMode === undefined) delete process.env.FAKE_FC_MODE;
    else process.env.FAKE_FC_MODE = savedMode;
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });

  afterAll(async () => {
    await monitor.close();
  });

  const request = (overrides: Parameters<typeof iterationRequest>[1] = {}): IterationRequest =>
    iterationRequest({ backend, artifacts, monitor, accel: "kvm" }, overrides);

  it("measures a normal boot (the baseline for the failures below)", async () => {
    const measured = await runIteration(request());
    expect(measured.bootNs).toBeLessThanOrEqual(measured.runNs);
    expect(measured.guestEndReason).toBe("vmm-exit");
  });

  it("an API 400 names the endpoint and the fault_message", async () => {
    process.env.FAKE_FC_MODE = "fault-on-boot-source";
    const error = await runIteration(request()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(FirecrackerApiError);
    expect((error as FirecrackerApiError).endpoint).toBe("PUT /boot-source");
    expect((error as Error).message).toMatch(/The kernel file cannot be opened: No such file or directory/);
  });

  it("Firecracker exiting before its API socket shows its exit code and stderr", async () => {
    process.env.FAKE_FC_MODE = "exit-early";
    const error = await runIteration(request()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(VmmExitedError);
    expect((error as Error).message).toMatch(/Firecracker exited unexpectedly \(exit code 1 before its API socket was ready\)/);
    expect((error as Error).message).toMatch(/Error: RunWithApi\(FailedToBindSocket/);
    expect((error as Error).message).toMatch(/Running Firecracker v1\.16\.1/);
  });

  it("a guest that never becomes ready times out, shows the console, and is killed", async () => {
    process.env.FAKE_FC_MODE = "never-ready";
    const started = Date.now();
    const error = await runIteration(request({ timeoutMs: 1500 })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(IterationTimeoutError);
    expect((error as Error).message).toMatch(/did not print the ready marker 'BENCHMARK_TOOL_READY' within the 1\.5 s timeout/);
    // Firecracker's own banner came before the boot; the guest printed nothing.
    expect((error as Error).message).toMatch(/the console stayed empty/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a launch under TCG is refused before anything is spawned", async () => {
    const error = await runIteration(request({ launch: { artifacts, bootArgs: "", memoryMiB: 64, vcpus: 1, accel: "tcg" } })).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/Firecracker runs guests only under KVM, not tcg/);
  });
});

describe("the stand-in rejects bodies that break the spec (so the contract test cannot pass vacuously)", () => {
  it.each([
    ["vcpu_count as a string", { vcpu_count: "1", mem_size_mib: 128 }, /vcpu_count must be integer/],
    ["an unknown field", { vcpu_count: 1, mem_size_mib: 128, cpus: 1 }, /additional properties: cpus/],
  ])("PUT /machine-config with %s is a 400 and recorded as invalid", async (_what, body, message) => {
    const dir = await mkdtemp(path.join(scratch, "api-"));
    const socketPath = path.join(dir, "api.sock");
    const recordFile = path.join(dir, "requests.jsonl");
    const child = spawn(FAKE, ["--api-sock", socketPath], { env: { ...process.env, FAKE_FC_RECORD: recordFile }, stdio: "ignore" });
    try {
      const api = new FirecrackerApiClient(socketPath);
      let error: unknown;
      for (let attempt = 0; attempt < 100; attempt++) {
        error = await api.putMachineConfig(body as never).catch((e: unknown) => e);
        if (error instanceof FirecrackerApiError) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(error).toBeInstanceOf(FirecrackerApiError);
      expect((error as Error).message).toMatch(message);
      const [request] = await recorded(recordFile);
      expect(request).toMatchObject({ method: "PUT", path: "/machine-config", ok: false });
    } finally {
      child.kill("SIGKILL");
    }
  });
});
