// Server guests on Firecracker, through the stand-in that validates every
// request against Firecracker's specification (fake-firecracker.mjs): each VM
// gets a tap of its own and a /30, configured with PUT /network-interfaces;
// the guest's boot line carries its address; the tool reaches the server at
// that address over the tap (the stand-in's guest is the http workload built
// for the host, in a network namespace behind the tap: fake-guest-network.py);
// the tap is gone after the VM, whatever happened; several VMs at once never
// share a tap or a subnet; and where taps cannot be made, the pair is left out
// with why before anything is built. These tests make taps: they need root (or
// CAP_NET_ADMIN) and /dev/net/tun, and are skipped with the reason elsewhere.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTapDevice, findIpCommand, removeStaleTapDevices, removeTapDevice, tapDevicesOfTheTool } from "../../src/housekeeping/tap-devices.js";
import { silentLogger } from "../../src/log/logger.js";
import { wrkVersion } from "../../src/performance/load/wrk-load.js";
import { MemoryMonitor } from "../../src/performance/measure/memory-monitor.js";
import { ConsoleMarkerProbe } from "../../src/performance/probes/console-marker-probe.js";
import { runIteration } from "../../src/performance/runner/iteration.js";
import type { ServingSettings } from "../../src/performance/runner/serving.js";
import { buildWorkload } from "../../src/performance/targets/local/workload.js";
import { HTTP_GUEST_PORT, READY_MARKER, type BootArtifacts } from "../../src/performance/targets/types.js";
import { Deadline } from "../../src/performance/vm/deadline.js";
import { Vm } from "../../src/performance/vm/vm.js";
import { kvmUsable } from "../../src/performance/vmm/accel.js";
import { FirecrackerApiError } from "../../src/performance/vmm/firecracker/api-client.js";
import { FirecrackerBackend } from "../../src/performance/vmm/firecracker/firecracker-backend.js";
import { checkTapNetwork } from "../../src/performance/vmm/firecracker/tap-network.js";
import { DensityRunSchema } from "../../src/results/density-schema.js";
import { PerformanceRunSchema } from "../../src/results/schema.js";
import { runCli, startCli } from "../helpers/cli.js";
import { iterationRequest } from "../helpers/iteration-request.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { CLI_PATH, PROJECT_ROOT, TEST_CACHE_DIR } from "../paths.js";

const execFileAsync = promisify(execFile);
const FAKE = path.join(PROJECT_ROOT, "test/firecracker/fake-firecracker.mjs");
/** The Linux guest's convention, which the stand-in's guest reads as guests/linux/init does. */
const NETWORK_BOOT_ARG = "benchmark.ip={{address}}/{{prefixLength}}:{{gateway}}";
const OUR_TAPS = new RegExp(`^bt${process.pid}t\\d+$`);

const taps = await checkTapNetwork();
const kvm = await kvmUsable();
const tapReason = taps.available ? "" : ` (skipped: ${taps.reason})`;
const cliReason = !taps.available ? tapReason : kvm.usable ? "" : ` (skipped: Firecracker's availability check needs KVM, and ${kvm.reason})`;

interface Recorded {
  method?: string;
  path?: string;
  body?: Record<string, unknown>;
  ok?: boolean;
  errors?: string[];
  event?: "tap";
  name?: string;
  exists?: boolean;
  addresses?: string[];
  up?: boolean;
}

async function recorded(file: string): Promise<Recorded[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Recorded);
}

/** The tool's taps on the host now whose owner is a process that `pids` names (this one by default). */
async function tapsOf(pids: number[] = [process.pid]): Promise<string[]> {
  return (await tapDevicesOfTheTool()).filter((name) => pids.some((pid) => name.startsWith(`bt${pid}t`)));
}

let scratch: string;
let privateTmp: string;
let httpServer: string;
let serving: ServingSettings;
const savedTmpdir = process.env.TMPDIR;
const savedEnv = { mode: process.env.FAKE_FC_MODE, record: process.env.FAKE_FC_RECORD, server: process.env.FAKE_FC_GUEST_SERVER };

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "bt-fcnet-scratch-"));
  privateTmp = await mkdtemp(path.join(os.tmpdir(), "bt-fcnet-tmp-"));
  httpServer = await buildWorkload("http", { cacheDir: TEST_CACHE_DIR, log: silentLogger });
  serving = { durationSeconds: 1, connections: 2, threads: 2, warmupSeconds: 1, generator: await wrkVersion() };
});

afterAll(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  // Whatever a failed assertion left: this process's taps.
  const ipCommand = await findIpCommand();
  if (ipCommand) for (const name of await tapsOf()) await removeTapDevice(name, ipCommand).catch(() => undefined);
  await rm(scratch, { recursive: true, force: true });
  await rm(privateTmp, { recursive: true, force: true });
});

describe(`server guests on Firecracker, one iteration at a time (stand-in)${tapReason}`, () => {
  const monitor = new MemoryMonitor();
  const backend = new FirecrackerBackend({ binary: FAKE });
  let artifacts: BootArtifacts;
  let recordFile: string;
  let iteration = 0;

  beforeAll(async () => {
    const kernelPath = path.join(scratch, "guest.elf");
    await execFileAsync("truncate", ["-s", "4096", kernelPath]);
    artifacts = { kernelPath, bootArgs: `console=ttyS0 ${NETWORK_BOOT_ARG}`, readyMarker: READY_MARKER };
    // runIteration makes its private directory under os.tmpdir().
    process.env.TMPDIR = privateTmp;
    process.env.FAKE_FC_GUEST_SERVER = httpServer;
  });

  afterEach(async () => {
    for (const [name, value] of [["FAKE_FC_MODE", savedEnv.mode], ["FAKE_FC_RECORD", savedEnv.record], ["FAKE_FC_GUEST_SERVER", savedEnv.server]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    process.env.FAKE_FC_GUEST_SERVER = httpServer;
    // Nothing of the VM is left: no tap, no directory, no process.
    expect(await tapsOf()).toEqual([]);
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });

  afterAll(async () => {
    await monitor.close();
  });

  const record = (): string => {
    recordFile = path.join(scratch, `iteration-${++iteration}.jsonl`);
    process.env.FAKE_FC_RECORD = recordFile;
    return recordFile;
  };
  const request = (overrides: Parameters<typeof iterationRequest>[1] = {}) => iterationRequest({ backend, artifacts, monitor, accel: "kvm" }, { serving, ...overrides });

  it.skipIf(!taps.available)("gives the guest a tap of its own: valid requests, its address on the boot line, served over the tap, and the tap gone after", async () => {
    const file = record();
    const measured = await runIteration(request());
    const requests = await recorded(file);
    const api = requests.filter((r) => r.event === undefined);
    expect(api.filter((r) => !r.ok)).toEqual([]);
    expect(api.map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /logger",
      "PUT /metrics",
      "PUT /boot-source",
      "PUT /network-interfaces/eth0",
      "PUT /machine-config",
      "PUT /actions",
    ]);
    const network = api.find((r) => r.path === "/network-interfaces/eth0")!.body!;
    expect(network).toEqual({ iface_id: "eth0", host_dev_name: expect.stringMatching(OUR_TAPS), guest_mac: expect.stringMatching(/^06:00:ac:10:[0-9a-f]{2}:[0-9a-f]{2}$/) });
    // The boot line names the guest's /30 and the host's side as its gateway; the tap had the host's side, up, as the guest started.
    const bootArgs = api.find((r) => r.path === "/boot-source")!.body!.boot_args as string;
    const [, guest, prefix, gateway] = /benchmark\.ip=(172\.16\.\d+\.\d+)\/(\d+):(172\.16\.\d+\.\d+)/.exec(bootArgs)!;
    expect(prefix).toBe("30");
    const tap = requests.find((r) => r.event === "tap")!;
    expect(tap).toEqual({ event: "tap", name: network.host_dev_name, exists: true, addresses: [`${gateway}/30`], up: true });
    expect(Number(guest!.split(".")[3]) - Number(gateway!.split(".")[3])).toBe(1);
    expect(network.guest_mac).toBe(`06:00:${guest!.split(".").map((n) => Number(n).toString(16).padStart(2, "0")).join(":")}`);
    // Served over the tap, and counted by the guest as by the host.
    const s = measured.serving!;
    expect(s.firstAnswer.status).toBe(200);
    expect(s.load.requests).toBeGreaterThan(50);
    expect(s.load.errors).toEqual({ connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
    expect(s.servedByGuest).toBeGreaterThanOrEqual(s.load.requests + s.toolRequests);
    expect(measured.guestEndReason).toBe("vmm-exit");
  });

  it.skipIf(!taps.available)("Firecracker refusing the interface fails the launch with its fault_message, and the tap goes", async () => {
    record();
    process.env.FAKE_FC_MODE = "fault-on-network-interface";
    const error = await runIteration(request()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(FirecrackerApiError);
    expect((error as FirecrackerApiError).endpoint).toBe("PUT /network-interfaces/eth0");
  });

  it.skipIf(!taps.available)("Firecracker dying before its API socket: the tap made for it goes too", async () => {
    process.env.FAKE_FC_MODE = "exit-early";
    await expect(runIteration(request())).rejects.toThrow(/Firecracker exited unexpectedly \(exit code 1 before its API socket was ready\)/);
  });

  it.skipIf(!taps.available)("a guest that never answers is killed at the timeout, and its tap goes with it", async () => {
    const file = record();
    process.env.FAKE_FC_MODE = "never-ready";
    await expect(runIteration(request({ timeoutMs: 1500, readiness: new ConsoleMarkerProbe("NEVER") }))).rejects.toThrow(/did not/);
    expect((await recorded(file)).some((r) => r.path === "/network-interfaces/eth0")).toBe(true);
  });

  it.skipIf(!taps.available)("two VMs at once get two taps and two subnets, both there while both run", async () => {
    const file = record();
    process.env.FAKE_FC_MODE = "never-ready";
    const deadline = new Deadline(10_000);
    const launch = { artifacts, bootArgs: artifacts.bootArgs, memoryMiB: 64, vcpus: 1, accel: "kvm" as const };
    const vms: Vm[] = [];
    try {
      for (let k = 0; k < 2; k++) {
        vms.push(await Vm.launch({ backend, launch, readiness: new ConsoleMarkerProbe(READY_MARKER), servedPort: HTTP_GUEST_PORT, log: silentLogger }, deadline));
      }
      await Promise.all(vms.map((vm) => vm.start()));
      const names = (await recorded(file)).filter((r) => r.path?.startsWith("/network-interfaces/")).map((r) => r.body!.host_dev_name as string);
      expect(new Set(names).size).toBe(2);
      expect((await tapsOf()).sort()).toEqual([...names].sort());
      const hosts = vms.map((vm) => vm.service!.host);
      expect(new Set(hosts).size).toBe(2);
      for (const vm of vms) expect(vm.service).toEqual({ host: expect.stringMatching(/^172\.16\.\d+\.\d+$/), port: HTTP_GUEST_PORT });
      // Distinct /30s: no two guests' subnets overlap.
      const subnets = hosts.map((host) => host.split(".").map(Number).reduce((a, b) => a * 256 + b) >>> 2);
      expect(new Set(subnets).size).toBe(2);
    } finally {
      await Promise.all(vms.map((vm) => vm.dispose()));
      deadline.dispose();
    }
  });
});

describe("where taps cannot be made, a server guest on Firecracker is not available here, with why", () => {
  it("without /dev/net/tun", async () => {
    const backend = new FirecrackerBackend({ binary: FAKE, tapNetwork: { tunDevice: path.join(os.tmpdir(), "no-such-tun") } });
    const availability = await backend.checkServing();
    expect(availability).toEqual({ available: false, reason: expect.stringMatching(/tap device made for each VM, and \S+no-such-tun does not exist: load the tun module \('sudo modprobe tun'\)/) });
  });

  it("without the ip command", async () => {
    const availability = await checkTapNetwork({ ipCommand: path.join(os.tmpdir(), "no-such-ip") });
    expect(availability.available).toBe(false);
    expect(availability.reason).toMatch(/the ip command \(iproute2\) \S+no-such-ip is not executable: install it with 'sudo apt-get install iproute2'/);
  });
});

describe(`server guests on Firecracker through the CLI (stand-in)${cliReason}`, () => {
  const ready = taps.available && kvm.usable;
  let runTmp: string;

  beforeAll(async () => {
    runTmp = path.join(scratch, "cli-tmp");
    await mkdir(runTmp, { recursive: true });
    common = ["--firecracker-bin", FAKE, "--output", "json", "--results-dir", path.join(scratch, "results"), "--cache-dir", TEST_CACHE_DIR];
  });

  afterEach(async () => {
    expect(await readdir(runTmp)).toEqual([]);
    expect(await processesMentioning(runTmp)).toEqual([]);
  });

  const env = (recordFile: string): NodeJS.ProcessEnv => ({ TMPDIR: runTmp, FAKE_FC_RECORD: recordFile, FAKE_FC_GUEST_SERVER: httpServer });
  let common: string[];

  it.skipIf(!ready)("performance linux:firecracker --workload http: measured over the tap, the results keep the boot line's form, no tap left", async () => {
    const recordFile = path.join(scratch, "cli-performance.jsonl");
    const cli = await runCli(["performance", "linux:firecracker", "--workload", "http", "-n", "1", "-w", "0", "--load-duration", "1", ...common], env(recordFile));
    expect(cli.code, cli.stderr).toBe(0);
    const entry = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry).toMatchObject({ target: "linux", vmm: "firecracker", status: "ok" });
    // Each VM gets its own address: the results keep the form, the request the filled-in line.
    expect(entry.bootArgs).toContain(NETWORK_BOOT_ARG);
    const requests = await recorded(recordFile);
    expect(requests.filter((r) => r.event === undefined && !r.ok)).toEqual([]);
    const bootArgs = requests.find((r) => r.path === "/boot-source")!.body!.boot_args as string;
    expect(bootArgs).toMatch(/ benchmark\.ip=172\.16\.\d+\.\d+\/30:172\.16\.\d+\.\d+( |$)/);
    expect(bootArgs).not.toContain("{{");
    const tap = requests.find((r) => r.event === "tap")!;
    expect(tap).toMatchObject({ exists: true, up: true, name: expect.stringMatching(/^bt\d+t\d+$/) });
    const serving = entry.iterations[0]!.serving!;
    expect(serving.load.requests).toBeGreaterThan(50);
    expect(serving.servedByGuest).toBeGreaterThan(serving.load.requests);
    expect((await tapDevicesOfTheTool()).filter((name) => name === tap.name)).toEqual([]);
  });

  it.skipIf(!ready)("density linux:firecracker --workload http --vms 2: each VM its own tap and subnet, every one removed", async () => {
    const recordFile = path.join(scratch, "cli-density.jsonl");
    const cli = await runCli(["density", "linux:firecracker", "--workload", "http", "--vms", "2", "--rounds", "1", ...common], env(recordFile));
    expect(cli.code, cli.stderr).toBe(0);
    const entry = DensityRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.levels.map((l) => l.perVm.map((vm) => vm.status))).toEqual([["ok", "ok"]]);
    const requests = await recorded(recordFile);
    expect(requests.filter((r) => r.event === undefined && !r.ok)).toEqual([]);
    const tapsSeen = requests.filter((r) => r.event === "tap");
    expect(tapsSeen).toHaveLength(2);
    expect(new Set(tapsSeen.map((t) => t.name)).size).toBe(2);
    expect(new Set(tapsSeen.map((t) => t.addresses![0])).size).toBe(2);
    const addresses = requests.filter((r) => r.path === "/boot-source").map((r) => /benchmark\.ip=(\S+)/.exec(r.body!.boot_args as string)![1]);
    expect(new Set(addresses).size).toBe(2);
    for (const t of tapsSeen) expect(await tapDevicesOfTheTool()).not.toContain(t.name);
  });

  it.skipIf(!ready)("without CAP_NET_ADMIN: linux:firecracker --workload http is skipped with why, before anything is built; hello still runs", async () => {
    const recordFile = path.join(scratch, "cli-no-net-admin.jsonl");
    // As root in a container that lacks the capability: setpriv drops it from every set the CLI could have it in.
    const setpriv = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin", "--", process.execPath, CLI_PATH];
    const run = async (args: string[]) => {
      const { stdout, stderr } = await execFileAsync(setpriv[0]!, [...setpriv.slice(1), ...args], { env: { ...process.env, ...env(recordFile) } }).catch((e: { stdout: string; stderr: string; code: number }) => e);
      return { stdout, stderr };
    };
    const http = await run(["performance", "linux:firecracker", "--workload", "http", "-n", "1", "-w", "0", ...common]);
    const entry = PerformanceRunSchema.parse(JSON.parse(http.stdout)).results[0]!;
    expect(entry.status, http.stderr).toBe("skipped");
    expect(entry.error).toMatch(/Firecracker's guests serve through a tap device made for each VM, which needs root or CAP_NET_ADMIN, and this run has neither: run benchmark-tool as root/);
    // Left out before its build: no image, no VMM version, nothing asked of Firecracker.
    expect(entry.image).toBeUndefined();
    expect(entry.vmmVersion).toBeUndefined();
    expect(await recorded(recordFile)).toEqual([]);
    const hello = await run(["performance", "null:firecracker", "-n", "1", "-w", "0", ...common]);
    expect(PerformanceRunSchema.parse(JSON.parse(hello.stdout)).results[0]!.status, hello.stderr).toBe("ok");
  });

  it.skipIf(!ready)("SIGKILL of the tool while its guest serves: the watchdog removes the tap and the VMM; the next run removes a dead run's tap", async () => {
    const recordFile = path.join(scratch, "cli-sigkill.jsonl");
    const { child, result } = startCli(["performance", "linux:firecracker", "--workload", "http", "-n", "1", "-w", "0", "--load-duration", "30", ...common], env(recordFile));
    const deadline = Date.now() + 60_000;
    while ((await tapsOf([child.pid!])).length === 0 || !(await recorded(recordFile)).some((r) => r.event === "tap")) {
      if (Date.now() > deadline) throw new Error("the run made no tap within 60 s");
      await delay(50);
    }
    const [tap] = await tapsOf([child.pid!]);
    child.kill("SIGKILL");
    await result;
    for (let waited = 0; (await tapDevicesOfTheTool()).includes(tap!) || (await processesMentioning(runTmp)).length > 0; waited += 50) {
      if (waited > 10_000) throw new Error(`the watchdog left ${tap} or a process behind`);
      await delay(50);
    }
    await rm(path.join(runTmp), { recursive: true, force: true });
    await mkdir(runTmp);

    // A dead run's tap that nothing removed (its watchdog killed too): the next run removes it.
    const ipCommand = (await findIpCommand())!;
    const deadPid = child.pid!;
    const stale = `bt${deadPid}t7`;
    await execFileAsync(ipCommand, ["tuntap", "add", "dev", stale, "mode", "tap"]);
    await execFileAsync(ipCommand, ["link", "set", "dev", stale, "alias", `benchmark-tool pid ${deadPid} started 1`]);
    const next = await runCli(["performance", "null:firecracker", "-n", "1", "-w", "0", ...common], env(path.join(scratch, "cli-next.jsonl")));
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`Removed the tap device ${stale}, left behind by a run that was killed`);
    expect(await tapDevicesOfTheTool()).not.toContain(stale);
  });
});

describe(`the tool's taps on the host${tapReason}`, () => {
  it.skipIf(!taps.available)("a dead owner's tap is removed, a live one's kept: the owner is told by its pid and start time", async () => {
    const ipCommand = (await findIpCommand())!;
    // A process that has ended: its pid is free, or another process's now (another start time).
    const { stdout } = await execFileAsync("sh", ["-c", "echo $$"]);
    const deadPid = Number(stdout.trim());
    const dead = `bt${deadPid}t3`;
    const reused = `bt${process.pid}t9`;
    await execFileAsync(ipCommand, ["tuntap", "add", "dev", dead, "mode", "tap"]);
    await execFileAsync(ipCommand, ["link", "set", "dev", dead, "alias", `benchmark-tool pid ${deadPid} started 12345`]);
    // This pid, but another start time: a dead run whose pid this process got.
    await execFileAsync(ipCommand, ["tuntap", "add", "dev", reused, "mode", "tap"]);
    await execFileAsync(ipCommand, ["link", "set", "dev", reused, "alias", `benchmark-tool pid ${process.pid} started 1`]);
    const live = await createTapDevice({ hostAddress: "172.16.255.253", prefixLength: 30, ipCommand });
    try {
      expect(live).toMatch(OUR_TAPS);
      const { removed, kept } = await removeStaleTapDevices();
      expect(removed.sort()).toEqual([dead, reused].sort());
      expect(kept).toEqual([]);
      expect(await tapDevicesOfTheTool()).toContain(live);
      expect(await tapDevicesOfTheTool()).not.toContain(dead);
      const { stdout: alias } = await execFileAsync("cat", [`/sys/class/net/${live}/ifalias`]);
      expect(alias.trim()).toMatch(new RegExp(`^benchmark-tool pid ${process.pid} started \\d+$`));
    } finally {
      await removeTapDevice(live, ipCommand);
      for (const name of [dead, reused]) await removeTapDevice(name, ipCommand).catch(() => undefined);
    }
    expect(await tapDevicesOfTheTool()).not.toContain(live);
  });
});
