// The Firecracker backend. Firecracker starts with only its API socket; the
// driver configures the VM through the REST API and InstanceStart boots it,
// which starts the boot clock. Firecracker exits when the guest resets (the
// i8042 reset line), which is the guest's end.
import { execFile, type ChildProcessByStdio } from "node:child_process";
import net from "node:net";
import { existsSync, watch, type FSWatcher } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";
import { promisify } from "node:util";
import { monotonicNow, type Nanoseconds } from "../../../clock.js";
import type { Availability, BootArtifacts } from "../../targets/types.js";
import { kvmUsable } from "../accel.js";
import { VmmExitedError, lastLines } from "../errors.js";
import { findOnPath } from "../find-binary.js";
import { EXIT_EXPLAIN_MS, aborted, describeExit, sleep } from "../launch-helpers.js";
import { spawnVmm } from "../vmm-processes.js";
import type { Accel, GuestEnd, LaunchConfig, VmInstance, VmmBackend, VmmExit } from "../types.js";
import { FirecrackerApiClient } from "./api-client.js";
import { FIRECRACKER_BOOT_TIMER_ADDRESS, parseGuestBootTimeNs } from "./boot-timer.js";

const execFileAsync = promisify(execFile);

/** Enough of Firecracker's stderr and stdout to explain any failure. */
const OUTPUT_LIMIT = 64 * 1024;
/** How often a refused connection to a freshly created API socket is retried, 1 ms apart. */
const CONNECT_ATTEMPTS = 200;
/** The drive id of the target's disk, the guest's root device. */
const ROOT_DRIVE_ID = "rootfs";

export const FIRECRACKER_INSTALL_HINT =
  "download a release from https://github.com/firecracker-microvm/firecracker/releases (x86_64: release-<version>-x86_64/firecracker-<version>-x86_64), " +
  "then pass --firecracker-bin <path>, set FIRECRACKER_BIN, or put it on PATH as 'firecracker'";

export interface FirecrackerBackendOptions {
  /** --firecracker-bin, else FIRECRACKER_BIN; when set, nothing else is tried. */
  binary?: string;
  /** The KVM device Firecracker needs (tests point it elsewhere). */
  kvmDevice?: string;
}

export class FirecrackerBackend implements VmmBackend {
  readonly name = "firecracker";
  readonly accels: readonly Accel[] = ["kvm"];
  readonly bootTimerAddress = FIRECRACKER_BOOT_TIMER_ADDRESS;
  private readonly explicitBinary: string | undefined;

  constructor(private readonly options: FirecrackerBackendOptions = {}) {
    this.explicitBinary = options.binary || process.env.FIRECRACKER_BIN || undefined;
  }

  async checkAvailable(artifacts?: BootArtifacts): Promise<Availability> {
    const kvm = await kvmUsable(this.options.kvmDevice);
    if (!kvm.usable) return { available: false, reason: `Firecracker needs KVM, and ${kvm.reason}` };
    if (await this.binary(artifacts)) return { available: true };
    if (this.explicitBinary) {
      return { available: false, reason: `the Firecracker binary ${this.explicitBinary} (--firecracker-bin or FIRECRACKER_BIN) is not an executable file` };
    }
    return {
      available: false,
      reason: `Firecracker was not found on PATH: ${FIRECRACKER_INSTALL_HINT}`,
      // A recipe image may ship its own binary.
      ...(artifacts ? {} : { artifactsMayProvide: true }),
    };
  }

  async version(artifacts?: BootArtifacts): Promise<string> {
    const binary = await this.requireBinary(artifacts);
    const { stdout } = await execFileAsync(binary, ["--version"]);
    return stdout.split("\n")[0]?.replace(/^Firecracker\s*/, "").trim() || "unknown";
  }

  /** The binary to run: the explicit one, else PATH's, else the one the artifacts ship. */
  private async binary(artifacts?: BootArtifacts): Promise<string | undefined> {
    if (this.explicitBinary) return findOnPath(this.explicitBinary);
    const onPath = await findOnPath("firecracker");
    if (onPath) return onPath;
    return artifacts?.vmmBinaryPath ? findOnPath(path.resolve(artifacts.vmmBinaryPath)) : undefined;
  }

  private async requireBinary(artifacts?: BootArtifacts): Promise<string> {
    const binary = await this.binary(artifacts);
    if (binary) return binary;
    throw new Error((await this.checkAvailable(artifacts)).reason ?? "Firecracker was not found");
  }

  async launch(config: LaunchConfig): Promise<VmInstance> {
    if (config.accel !== "kvm") {
      throw new Error(`Firecracker runs guests only under KVM, not ${config.accel}: leave out --accel ${config.accel} for it`);
    }
    const unbootable = whyFirecrackerCannotBoot(config.artifacts);
    if (unbootable) throw new Error(unbootable);
    const binary = await this.requireBinary(config.artifacts);
    const apiSocketPath = path.join(config.workDir, "api.sock");
    const logPath = path.join(config.workDir, "firecracker.log");
    const metricsPath = path.join(config.workDir, "metrics.json");
    // Firecracker opens these without creating them (older releases fail otherwise).
    await writeFile(logPath, "", { mode: 0o600 });
    await writeFile(metricsPath, "", { mode: 0o600 });
    const args = ["--api-sock", apiSocketPath, ...(config.bootTimer ? ["--boot-timer"] : [])];
    const commandLine = [binary, ...args];
    config.log.debug(`VMM command line: ${commandLine.join(" ")}`);

    const socketReady = new SocketWatch(config.workDir, path.basename(apiSocketPath));
    const spawnedAtNs = monotonicNow();
    const child = spawnVmm(binary, args, config.pinCpus);
    const output = new OutputTail(child);
    const exited = new Promise<VmmExit>((resolve, reject) => {
      child.once("exit", (code, signal) => resolve({ code, signal, atNs: monotonicNow() }));
      child.once("error", (error) => reject(new Error(`could not start ${binary}: ${error.message}; ${FIRECRACKER_INSTALL_HINT}`)));
    });
    exited.catch(() => {});
    const explainExit = async (exit: VmmExit, when: string): Promise<VmmExitedError> =>
      new VmmExitedError("Firecracker", `${describeExit(exit)} ${when}`, await output.explain(logPath));

    let startupNs: Nanoseconds;
    const api = new FirecrackerApiClient(apiSocketPath);
    try {
      await Promise.race([
        socketReady.done.then(() => acceptsConnections(apiSocketPath)),
        exited.then(async (exit) => {
          throw await explainExit(exit, "before its API socket was ready");
        }),
        aborted(config.signal),
      ]);
      startupNs = monotonicNow() - spawnedAtNs;
      await configure(api, config, { logPath, metricsPath });
    } catch (error) {
      if (error instanceof VmmExitedError) {
        child.kill("SIGKILL");
        throw error;
      }
      // A refused connection or a closed socket is the symptom; the exit and stderr are the cause.
      const exit = config.signal.aborted ? undefined : await Promise.race([exited.catch(() => undefined), sleep(EXIT_EXPLAIN_MS)]);
      child.kill("SIGKILL");
      await exited.catch(() => undefined);
      if (exit) throw await explainExit(exit, "before InstanceStart");
      throw error;
    } finally {
      socketReady.close();
    }
    return new FirecrackerInstance(child, api, commandLine, startupNs, exited, output, logPath);
  }
}

/** What in a guest's artifacts Firecracker cannot do, or undefined. */
function whyFirecrackerCannotBoot(artifacts: BootArtifacts): string | undefined {
  if (!artifacts.kernelPath) {
    return "Firecracker boots only a kernel it loads itself (kernel_image_path), and this guest has none: its disk boots through its own boot loader, which needs a firmware Firecracker does not have";
  }
  if (artifacts.exit === "isa-debug-exit") {
    return "this guest ends through QEMU's isa-debug-exit device, which Firecracker does not have: its Firecracker recipe's manifest should end it by a reset";
  }
  return undefined;
}

/** The VM's configuration, sent before InstanceStart, logger first so that Firecracker's errors land in its log. */
async function configure(api: FirecrackerApiClient, config: LaunchConfig, files: { logPath: string; metricsPath: string }): Promise<void> {
  const { artifacts } = config;
  await api.putLogger({ log_path: files.logPath, level: "Info", show_level: true, show_log_origin: false });
  await api.putMetrics({ metrics_path: files.metricsPath });
  await api.putBootSource({
    kernel_image_path: path.resolve(artifacts.kernelPath!),
    ...(artifacts.initrdPath ? { initrd_path: path.resolve(artifacts.initrdPath) } : {}),
    boot_args: config.bootArgs,
  });
  if (artifacts.diskPath) {
    await api.putDrive({ drive_id: ROOT_DRIVE_ID, path_on_host: path.resolve(artifacts.diskPath), is_root_device: true, is_read_only: false });
  }
  await api.putMachineConfig({ vcpu_count: config.vcpus, mem_size_mib: config.memoryMiB });
}

class FirecrackerInstance implements VmInstance {
  readonly guestEnded: Promise<GuestEnd>;
  /** Firecracker exits with its guest: its final peak memory is sampled, not read. */
  readonly outlivesGuest = false;
  private stopping = false;

  constructor(
    private readonly child: ChildProcessByStdio<null, Readable, Readable>,
    private readonly api: FirecrackerApiClient,
    readonly commandLine: readonly string[],
    readonly startupNs: Nanoseconds,
    readonly exited: Promise<VmmExit>,
    private readonly output: OutputTail,
    private readonly logPath: string,
  ) {
    this.guestEnded = exited.then(async (exit) => {
      if (this.stopping) throw new VmmExitedError("Firecracker", "stopped by the tool", "");
      if (exit.code !== 0) throw new VmmExitedError("Firecracker", describeExit(exit), await output.explain(logPath));
      const bootNs = parseGuestBootTimeNs(await readFile(logPath, "utf8").catch(() => ""));
      return { atNs: exit.atNs, reason: "vmm-exit", ...(bootNs !== undefined ? { vmmReportedBootNs: bootNs } : {}) };
    });
    this.guestEnded.catch(() => {});
  }

  get pid(): number {
    return this.child.pid!;
  }

  get console(): Readable {
    return this.child.stdout;
  }

  stderrText(): string {
    return this.output.stderr;
  }

  async start(): Promise<Nanoseconds> {
    const { sentAtNs, result } = await this.api.action({ action_type: "InstanceStart" });
    try {
      await result;
    } catch (error) {
      // A guest that resets at once can end Firecracker before its answer left: that is a boot.
      const exit = await Promise.race([this.exited.catch(() => undefined), sleep(EXIT_EXPLAIN_MS)]);
      if (exit?.code === 0) return sentAtNs;
      if (exit) throw new VmmExitedError("Firecracker", `${describeExit(exit)} on InstanceStart`, await this.output.explain(this.logPath));
      throw error;
    }
    return sentAtNs;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited.catch(() => undefined);
  }

  kill(): void {
    this.stopping = true;
    this.child.kill("SIGKILL");
  }
}

/** Keeps the start of Firecracker's stderr, and of its stdout before the guest runs, to explain failures. */
class OutputTail {
  stderr = "";
  private stdout = "";

  constructor(child: ChildProcessByStdio<null, Readable, Readable>) {
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (this.stderr.length < OUTPUT_LIMIT) this.stderr += chunk;
    });
    // Before its logger is configured, Firecracker logs on stdout (the console).
    child.stdout.on("data", (chunk: Buffer | string) => {
      if (this.stdout.length < OUTPUT_LIMIT) this.stdout += String(chunk);
    });
  }

  /** Firecracker's own words: its log file's last lines, else its stdout's, and its stderr. */
  async explain(logPath: string): Promise<string> {
    const log = await readFile(logPath, "utf8").catch(() => "");
    return lastLines([log || this.stdout, this.stderr].filter((text) => text.trim()).join("\n"));
  }
}

/**
 * Resolves when `name` appears in `dir`: an fs.watch event, plus one look
 * right after the watch began, for a socket created before it.
 */
class SocketWatch {
  readonly done: Promise<void>;
  private watcher: FSWatcher | undefined;

  constructor(dir: string, name: string) {
    const file = path.join(dir, name);
    this.done = new Promise<void>((resolve) => {
      this.watcher = watch(dir, (_event, changed) => {
        if ((changed === null || changed === name) && existsSync(file)) resolve();
      });
      if (existsSync(file)) resolve();
    });
  }

  close(): void {
    this.watcher?.close();
  }
}

/**
 * Resolves once the socket accepts a connection. Its file appears at bind(),
 * a moment before listen(): a connection in between is refused, so those are retried.
 */
async function acceptsConnections(socketPath: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = net.createConnection(socketPath, () => {
          socket.destroy();
          resolve();
        });
        socket.once("error", reject);
      });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ECONNREFUSED" || attempt >= CONNECT_ATTEMPTS) throw error;
      await delay(1);
    }
  }
}
