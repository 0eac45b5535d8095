// The QEMU backends: machine pc ("qemu") and machine microvm ("qemu-microvm").
// QEMU starts paused with the guest loaded; QMP `cont` starts the guest.
import { execFile, type ChildProcessByStdio } from "node:child_process";
import path from "node:path";
import type { Readable } from "node:stream";
import { promisify } from "node:util";
import { monotonicNow } from "../../../clock.js";
import type { Availability } from "../../targets/types.js";
import { GuestProgramFailedError, HostPortTakenError, KvmInternalError, VmmExitedError, lastLines } from "../errors.js";
import { findOnPath } from "../find-binary.js";
import { EXIT_EXPLAIN_MS, aborted, describeExit, sleep } from "../launch-helpers.js";
import { spawnVmm } from "../vmm-processes.js";
import type { GuestEnd, LaunchConfig, VmInstance, VmmBackend, VmmExit } from "../types.js";
import { qemuArguments, whyQemuCannotBoot, type QemuMachine } from "./command-line.js";
import { QmpListener, type QmpConnection, type QmpEvent } from "./qmp.js";

const execFileAsync = promisify(execFile);

/** How long QEMU may take to exit after `quit` before it is killed. */
const QUIT_GRACE_MS = 3000;
/** Enough of QEMU's stderr to explain any failure; the rest is dropped. */
const STDERR_LIMIT = 64 * 1024;

export const QEMU_INSTALL_HINT =
  "install it with 'sudo apt-get install qemu-system-x86' (Debian/Ubuntu) or 'sudo dnf install qemu-system-x86' (Fedora), or set QEMU_BIN to its path";

export class QemuBackend implements VmmBackend {
  constructor(
    readonly name: string,
    private readonly machine: QemuMachine,
    private readonly binary = process.env.QEMU_BIN || "qemu-system-x86_64",
  ) {}

  async checkAvailable(): Promise<Availability> {
    if (await findOnPath(this.binary)) return { available: true };
    return { available: false, reason: `QEMU (${this.binary}) was not found: ${QEMU_INSTALL_HINT}` };
  }

  async version(): Promise<string> {
    const { stdout } = await execFileAsync(this.binary, ["--version"]);
    return stdout.split("\n")[0]?.replace(/^QEMU emulator version\s*/, "").trim() ?? "unknown";
  }

  /** The models `-cpu help` lists ("x86 <model>  description"), host and max among them. */
  async cpuModels(): Promise<readonly string[]> {
    const { stdout } = await execFileAsync(this.binary, ["-machine", this.machine, "-cpu", "help"]);
    return stdout.split("\n").flatMap((line) => /^x86\s+(\S+)/.exec(line)?.[1] ?? []);
  }

  async launch(config: LaunchConfig): Promise<VmInstance> {
    const unbootable = whyQemuCannotBoot(this.machine, config.artifacts, config.bootArgs);
    if (unbootable) throw new Error(`${this.name}: ${unbootable}`);
    const qmpSocketPath = path.join(config.workDir, "qmp.sock");
    const listener = await QmpListener.listen(qmpSocketPath);
    const args = qemuArguments({
      machine: this.machine,
      accel: config.accel,
      artifacts: config.artifacts,
      bootArgs: config.bootArgs,
      memoryMiB: config.memoryMiB,
      vcpus: config.vcpus,
      ...(config.cpu ? { cpu: config.cpu } : {}),
      ...(config.network ? { network: config.network } : {}),
      qmpSocketPath,
    });
    const commandLine = [this.binary, ...args];
    config.log.debug(`VMM command line: ${commandLine.map(shellQuote).join(" ")}`);

    const spawnedAtNs = monotonicNow();
    const child = spawnVmm(this.binary, args, config.pinCpus);
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk;
    });
    const stderrEnded = new Promise<void>((resolve) => child.stderr.once("close", resolve));
    const exited = new Promise<VmmExit>((resolve, reject) => {
      child.once("exit", (code, signal) => resolve({ code, signal, atNs: monotonicNow() }));
      child.once("error", (error) =>
        reject(new Error(`could not start ${this.binary}: ${error.message}; ${QEMU_INSTALL_HINT}`)),
      );
    });
    exited.catch(() => {});

    let qmp: QmpConnection;
    try {
      qmp = await Promise.race([
        listener.accept(),
        exited.then((exit) => {
          throw new VmmExitedError("QEMU", `${describeExit(exit)} before QMP was ready`, lastLines(stderr));
        }),
        aborted(config.signal),
      ]);
    } catch (error) {
      // QMP closing first is the symptom; QEMU's exit and stderr are the cause.
      const exit = config.signal.aborted ? undefined : await Promise.race([exited.catch(() => undefined), sleep(EXIT_EXPLAIN_MS)]);
      child.kill("SIGKILL");
      listener.close();
      await exited.catch(() => undefined);
      // The exit can be reported before the last of stderr, which says why.
      await Promise.race([stderrEnded, sleep(EXIT_EXPLAIN_MS)]);
      if (stderr.includes("KVM internal error")) throw new KvmInternalError("QEMU", lastLines(stderr, 10));
      // slirp binds the forward's host side at start, and QEMU exits when it cannot.
      if (config.network && stderr.includes("Could not set up host forwarding rule")) {
        throw new HostPortTakenError("QEMU", config.network.hostPort, lastLines(stderr, 5));
      }
      if (exit) throw new VmmExitedError("QEMU", `${describeExit(exit)} before QMP was ready`, lastLines(stderr));
      throw error;
    }
    const startupNs = monotonicNow() - spawnedAtNs;
    const endsByDebugExit = config.artifacts.exit === "isa-debug-exit";
    return new QemuInstance(this.name, child, qmp, commandLine, startupNs, exited, () => stderr, stderrEnded, endsByDebugExit);
  }
}

class QemuInstance implements VmInstance {
  readonly guestEnded: Promise<GuestEnd>;
  /** False when the guest ends through isa-debug-exit, which makes QEMU exit at once (even with -no-shutdown). */
  readonly outlivesGuest: boolean;
  private stopping = false;
  /** How much QEMU had written on stderr when the guest was started. */
  private stderrAtStart = 0;

  constructor(
    private readonly vmmName: string,
    private readonly child: ChildProcessByStdio<null, Readable, Readable>,
    private readonly qmp: QmpConnection,
    readonly commandLine: readonly string[],
    readonly startupNs: bigint,
    readonly exited: Promise<VmmExit>,
    readonly stderrText: () => string,
    stderrEnded: Promise<void>,
    endsByDebugExit: boolean,
  ) {
    this.outlivesGuest = !endsByDebugExit;
    this.guestEnded = new Promise<GuestEnd>((resolve, reject) => {
      qmp.on("event", (event: QmpEvent) => {
        if (event.event === "SHUTDOWN") {
          const reason = String(event.data?.reason ?? "shutdown");
          // host-signal, host-qmp-quit, ...: QEMU was told to stop; the guest did not end.
          if (reason.startsWith("host-")) reject(new VmmExitedError(vmmName, `stopped by the host (${reason})`, lastLines(stderrText())));
          else resolve({ atNs: event.receivedAtNs, reason });
        } else if (event.event === "GUEST_PANICKED") {
          reject(new Error(`the guest panicked on ${vmmName}: ${JSON.stringify(event.data ?? {})}`));
        }
      });
      // On a KVM internal error QEMU pauses the guest and stays alive: without
      // this the iteration would only end at its timeout.
      child.stderr.on("data", () => {
        if (stderrText().includes("KVM internal error")) {
          reject(new KvmInternalError(vmmName, lastLines(stderrText(), 10)));
        }
      });
      exited.then(
        async (exit) => {
          if (this.stopping) return;
          // Code 1 is also QEMU's own error exit: read the rest of what it wrote first.
          if (endsByDebugExit && exit.code === 1) await Promise.race([stderrEnded, sleep(EXIT_EXPLAIN_MS)]);
          const status = endsByDebugExit ? this.programStatus(exit) : undefined;
          if (status === undefined) reject(new VmmExitedError(vmmName, describeExit(exit), lastLines(stderrText())));
          // The end is when the tool saw QEMU exit, as for a VMM that exits with its guest (Firecracker).
          else if (status === 0) resolve({ atNs: exit.atNs, reason: "guest-debug-exit" });
          else reject(new GuestProgramFailedError(status, `through QEMU's isa-debug-exit device: QEMU's exit code ${exit.code}`));
        },
        reject,
      );
    });
    this.guestEnded.catch(() => {});
  }

  get pid(): number {
    return this.child.pid!;
  }

  get console(): Readable {
    return this.child.stdout;
  }

  /**
   * The guest program's exit status from QEMU's exit code, (status << 1) | 1
   * (the low 7 bits of the status survive), or undefined when QEMU did not
   * exit through isa-debug-exit: killed, an even code, or code 1 (a program
   * that returned 0, but also QEMU's own error exit) with an error QEMU wrote
   * after the guest started.
   */
  private programStatus(exit: VmmExit): number | undefined {
    if (exit.signal !== null || exit.code === null || exit.code % 2 === 0) return undefined;
    if (exit.code === 1 && this.stderrText().length > this.stderrAtStart) return undefined;
    return exit.code >> 1;
  }

  async start(): Promise<bigint> {
    this.stderrAtStart = this.stderrText().length;
    const { sentAtNs, result } = this.qmp.execute("cont");
    await result;
    return sentAtNs;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      await this.qmp.execute("quit").result;
    } catch {
      // QEMU may close the socket before answering `quit`; the exit below tells.
    }
    const timer = setTimeout(() => this.child.kill("SIGKILL"), QUIT_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
      this.qmp.close();
    }
  }

  kill(): void {
    this.stopping = true;
    this.child.kill("SIGKILL");
    this.qmp.close();
  }
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}
