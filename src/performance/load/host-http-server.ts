// The http workload run on the host itself, on a free port: the same server the
// guests run, answering the same load with no VMM and no emulated network in
// between. What the load generator gets from it is its ceiling on this host: a
// guest whose figure comes close to it is limited by the generator, not by itself.
import { symlink } from "node:fs/promises";
import path from "node:path";
import { monotonicNow, type Nanoseconds } from "../../clock.js";
import { READY_MARKER } from "../targets/types.js";
import { freeLoopbackPort, HOST_PORT_ATTEMPTS } from "../vmm/port-forward.js";
import { spawnVmm } from "../vmm/vmm-processes.js";
import { createWorkDir, removeWorkDir } from "../../housekeeping/work-dir.js";
import { parseServedCount } from "./served-count.js";
import { requestStop } from "./stop-request.js";

/** What the server may take to print its ready marker once started. */
const READY_TIMEOUT_MS = 5000;
/** What it may take to exit once it has answered the stop request. */
const EXIT_TIMEOUT_MS = 3000;

export interface HostHttpServerOptions {
  /** The http workload built for the host (buildWorkload("http", ...)). */
  binaryPath: string;
  /** Host CPUs to run it on (a taskset list); anywhere when absent. */
  pinCpus?: string;
  /** Where ports come from; freeLoopbackPort by default. */
  choosePort?: () => Promise<number>;
}

export class HostHttpServer {
  private constructor(
    readonly port: number,
    readonly pid: number,
    /** Monotonic time at which its ready marker (printed once listen() returned) arrived. */
    readonly readyAtNs: Nanoseconds,
    private readonly output: () => string,
    private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
    private readonly killProcess: () => void,
    private readonly workDir: string,
  ) {}

  /** Starts it on a free port, moving to another port when the chosen one was taken meanwhile. */
  static async start(options: HostHttpServerOptions): Promise<HostHttpServer> {
    // Started through a link in a private directory, so that its command line
    // names that directory and the watchdog ends it if the tool dies.
    const workDir = createWorkDir();
    try {
      const binary = path.join(workDir, "http");
      await symlink(path.resolve(options.binaryPath), binary);
      const choosePort = options.choosePort ?? freeLoopbackPort;
      const failures: string[] = [];
      for (let attempt = 1; attempt <= HOST_PORT_ATTEMPTS; attempt++) {
        const port = await choosePort();
        const started = await startOnPort(binary, port, options.pinCpus);
        if ("server" in started) {
          const { child, readyAtNs, output, exited } = started.server;
          return new HostHttpServer(port, child.pid!, readyAtNs, output, exited, () => child.kill("SIGKILL"), workDir);
        }
        failures.push(started.failure);
        if (!started.portTaken) break;
      }
      throw new Error(`the http workload could not be started on the host: ${failures.join("; ")}`);
    } catch (error) {
      removeWorkDir(workDir);
      throw error;
    }
  }

  /** Sends the stop request; resolves with the count of requests it answered, and once it has exited. */
  async stop(): Promise<{ served: number }> {
    try {
      await requestStop({ port: this.port });
      const exit = await Promise.race([this.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), EXIT_TIMEOUT_MS).unref())]);
      if (!exit) throw new Error(`the http workload on the host answered the stop request but did not exit within ${EXIT_TIMEOUT_MS} ms`);
      const served = parseServedCount(this.output());
      if (served === undefined) throw new Error(`the http workload on the host exited without printing its count; its output:\n${this.output().trim()}`);
      return { served };
    } finally {
      this.kill();
      await this.exited;
    }
  }

  /** Ends it at once (failures, Ctrl-C); safe to call more than once. */
  kill(): void {
    this.killProcess();
    removeWorkDir(this.workDir);
  }
}

type Started =
  | {
      server: {
        child: ReturnType<typeof spawnVmm>;
        readyAtNs: Nanoseconds;
        output: () => string;
        exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
      };
    }
  | { failure: string; portTaken: boolean };

async function startOnPort(binary: string, port: number, pinCpus: string | undefined): Promise<Started> {
  const child = spawnVmm(binary, [String(port)], pinCpus);
  let output = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal }));
    child.once("error", (error) => {
      output += error.message;
      resolve({ code: null, signal: null });
    });
  });
  const ready = new Promise<Nanoseconds>((resolve) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const atNs = monotonicNow();
      output += chunk;
      if (output.includes(READY_MARKER)) resolve(atNs);
    });
  });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then((readyAtNs) => ({ readyAtNs })),
    exited.then(() => ({ exitedEarly: true as const })),
    new Promise<{ timedOut: true }>((resolve) => (timer = setTimeout(() => resolve({ timedOut: true }), READY_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if ("readyAtNs" in outcome) return { server: { child, readyAtNs: outcome.readyAtNs, output: () => output, exited } };
  child.kill("SIGKILL");
  await exited;
  const said = output.trim() || "(nothing)";
  if ("timedOut" in outcome) return { failure: `it printed no ready marker within ${READY_TIMEOUT_MS} ms on port ${port}; its output: ${said}`, portTaken: false };
  return { failure: `on port ${port}: ${said}`, portTaken: /bind: Address (already )?in use/i.test(output) };
}
