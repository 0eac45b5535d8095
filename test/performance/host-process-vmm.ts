// A stand-in VMM whose "guest" is the http workload run on the host: launched
// waiting, it starts serving a known time after its boot signal, on the port
// the tool forwards, and ends when the server exits after its stop request.
// What the tool measures of it can be checked against what is known by
// construction (its start delay) and against an independent client (curl).
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { monotonicNow } from "../../src/clock.js";
import type { Availability } from "../../src/performance/targets/types.js";
import type { GuestEnd, LaunchConfig, VmInstance, VmmBackend, VmmExit } from "../../src/performance/vmm/types.js";

export class HostProcessVmm implements VmmBackend {
  readonly name = "host-process";
  /** The ports the tool asked each launch to forward. */
  readonly hostPorts: number[] = [];

  constructor(
    /** The server's command line for a port: the http workload built for the host, or a faulty server. */
    private readonly server: (port: number) => string[],
    /** How long after its boot signal the server starts: its boot, known by construction. */
    readonly bootDelayMs: number,
  ) {}

  async checkAvailable(): Promise<Availability> {
    return { available: true };
  }

  async version(): Promise<string> {
    return "host-process 1.0";
  }

  async launch(config: LaunchConfig): Promise<VmInstance> {
    if (!config.network) throw new Error("the host-process guest serves only with a forwarded port");
    this.hostPorts.push(config.network.hostPort);
    const spawnedAtNs = monotonicNow();
    // Waits for its boot signal on stdin, then for its boot, then serves on the forwarded port.
    const child = spawn("sh", ["-c", `read go && sleep ${this.bootDelayMs / 1000} && exec "$@"`, "guest", ...this.server(config.network.hostPort)], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    return new HostProcessInstance(child, monotonicNow() - spawnedAtNs);
  }
}

class HostProcessInstance implements VmInstance {
  readonly commandLine: readonly string[];
  readonly outlivesGuest = false;
  readonly guestEnded: Promise<GuestEnd>;
  readonly exited: Promise<VmmExit>;
  private stderr = "";

  constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    readonly startupNs: bigint,
  ) {
    this.commandLine = child.spawnargs;
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, atNs: monotonicNow() })));
    this.guestEnded = this.exited.then((exit) => {
      if (exit.code !== 0) throw new Error(`the server exited with ${exit.code ?? exit.signal}: ${this.stderr}`);
      return { atNs: exit.atNs, reason: "guest-shutdown" };
    });
    this.guestEnded.catch(() => undefined);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get console(): Readable {
    return this.child.stdout;
  }

  stderrText(): string {
    return this.stderr;
  }

  async start(): Promise<bigint> {
    const startNs = monotonicNow();
    this.child.stdin.write("go\n");
    return startNs;
  }

  async stop(): Promise<void> {
    await this.exited;
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }
}
