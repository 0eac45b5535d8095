// Peak and sampled resident memory of a VMM process (VMM plus the guest memory
// it touched). The peak is the kernel's own high-water mark, VmHWM, read once
// more after the guest ended while the VMM is still alive, so it is exact; the
// RSS series (every 10 ms by default) is for plots.
//
// Sampling runs in a worker thread so that reading /proc never delays the main
// thread's console and QMP handlers, whose timestamps are the measurement. One
// worker serves a whole run: starting one per iteration would cost tens of ms.
import { Worker } from "node:worker_threads";
import type { Nanoseconds } from "../../clock.js";

export const DEFAULT_SAMPLE_INTERVAL_MS = 10;

export interface MemoryReport {
  peakRssBytes: number;
  /**
   * True when the peak was read from the live process after the guest ended;
   * false when the process was gone and the peak is the last sample's VmHWM
   * (at most one interval old).
   */
  peakExact: boolean;
  /** Monotonic sample times and the RSS at each. */
  sampleTimesNs: Nanoseconds[];
  rssBytes: number[];
}

// Control words shared with the worker.
const STATE = 0;
const PID = 1;
const INTERVAL_MS = 2;
/** Which start() the worker is serving; its report names it. */
const CYCLE = 3;
const IDLE = 0;
const SAMPLING = 1;
const STOPPING = 2;

// Plain JavaScript (CommonJS), evaluated in the worker: a separate module file
// would need a different path under src/ (tests) and dist/ (users).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const control = new Int32Array(workerData);
const [STATE, PID, INTERVAL_MS, CYCLE, IDLE, SAMPLING, STOPPING] = [0, 1, 2, 3, 0, 1, 2];
const kib = (text, field) => {
  const match = new RegExp(field + ":\\\\s+(\\\\d+) kB").exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
};
for (;;) {
  Atomics.wait(control, STATE, IDLE);
  const cycle = Atomics.load(control, CYCLE);
  const pid = Atomics.load(control, PID);
  const path = "/proc/" + pid + "/status";
  const interval = Atomics.load(control, INTERVAL_MS);
  const sampleTimesNs = [], rssBytes = [];
  let peakRssBytes = 0;
  // A zombie's status has no Vm* lines: that read fails like a missing file.
  const sample = () => {
    let text;
    try { text = readFileSync(path, "utf8"); } catch { return false; }
    const rss = kib(text, "VmRSS"), hwm = kib(text, "VmHWM");
    if (rss === undefined || hwm === undefined) return false;
    sampleTimesNs.push(process.hrtime.bigint());
    rssBytes.push(rss);
    if (hwm > peakRssBytes) peakRssBytes = hwm;
    return true;
  };
  while (Atomics.load(control, STATE) === SAMPLING && Atomics.load(control, CYCLE) === cycle) {
    sample();
    Atomics.wait(control, STATE, SAMPLING, interval);
  }
  const peakExact = sample();
  // Back to idle only when this cycle is still the current one: a newer
  // start() (and perhaps its stop()) is served next, at once.
  if (Atomics.load(control, CYCLE) === cycle) Atomics.compareExchange(control, STATE, STOPPING, IDLE);
  parentPort.postMessage({ cycle, pid, peakRssBytes, peakExact, sampleTimesNs, rssBytes });
}
`;

/** Samples one process at a time; reuse it across iterations, close() at the end. */
export class MemoryMonitor {
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  private cycle = 0;
  private worker: Worker | undefined;
  private pending: Promise<MemoryReport> | undefined;
  private online = false;

  constructor(private readonly intervalMs = DEFAULT_SAMPLE_INTERVAL_MS) {
    if (!(intervalMs >= 1)) throw new Error(`memory sample interval must be at least 1 ms, got ${intervalMs}`);
  }

  /**
   * Starts the sampling thread, which takes tens of ms: call it before the
   * first measured boot, or a VMM that exits with its guest (Firecracker) may
   * be gone before the first sample.
   */
  async warmUp(): Promise<void> {
    const worker = this.ensureWorker();
    if (this.online) return;
    // Held while waiting: an unreferenced worker alone would let Node exit here.
    worker.ref();
    await new Promise<void>((resolve) => worker.once("online", () => resolve()));
    worker.unref();
    this.online = true;
  }

  /** Starts sampling `pid`; the first sample is taken at once. */
  start(pid: number): void {
    if (this.pending) throw new Error("MemoryMonitor is already sampling a process");
    const worker = this.ensureWorker();
    // The report must be this start()'s, of this pid: one left over from an
    // earlier cycle would put another VMM's memory on this iteration.
    const cycle = (this.cycle = (this.cycle + 1) | 0);
    this.pending = new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        worker.off("message", onMessage);
        reject(error);
      };
      const onMessage = ({ cycle: reported, pid: sampled, ...report }: MemoryReport & { cycle: number; pid: number }): void => {
        if (reported !== cycle || sampled !== pid) return;
        worker.off("message", onMessage);
        worker.off("error", onError);
        resolve(report);
      };
      worker.once("error", onError);
      worker.on("message", onMessage);
    });
    Atomics.store(this.control, PID, pid);
    Atomics.store(this.control, INTERVAL_MS, this.intervalMs);
    Atomics.store(this.control, CYCLE, cycle);
    Atomics.store(this.control, STATE, SAMPLING);
    Atomics.notify(this.control, STATE);
  }

  /** Takes a last reading (the exact peak, if the process is alive) and returns the report. */
  async stop(): Promise<MemoryReport> {
    const pending = this.pending;
    if (!pending) throw new Error("MemoryMonitor.stop() without start()");
    Atomics.store(this.control, STATE, STOPPING);
    Atomics.notify(this.control, STATE);
    try {
      return await pending;
    } finally {
      this.pending = undefined;
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.online = false;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: this.control.buffer });
      // The worker must never keep the tool alive on its own.
      this.worker.unref();
    }
    return this.worker;
  }
}
