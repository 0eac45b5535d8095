// The load generator: wrk (Debian's package, the generator of the Unikraft
// paper's nginx figures), run for a set time with a Lua script whose done()
// prints the summary as one JSON line, so that nothing is scraped from wrk's
// human-readable output. Bounded: killed when it overruns, its script removed.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { findOnPath } from "../vmm/find-binary.js";
import { spawnVmm } from "../vmm/vmm-processes.js";
import type { Availability } from "../targets/types.js";
import { createWorkDir, removeWorkDir } from "../../housekeeping/work-dir.js";

export const WRK_INSTALL_HINT =
  "install it with 'sudo apt-get install wrk' (Debian/Ubuntu; scripts/setup.sh does) or 'sudo dnf install wrk' (Fedora), or set WRK_BIN to its path";

/** Starts the summary line among wrk's own output. */
const SUMMARY_PREFIX = "BENCHMARK_TOOL_WRK ";

/**
 * wrk calls done() once, after every thread has stopped. Times are in
 * microseconds, as wrk keeps them; the percentiles are wrk's own (from its
 * exact histogram of every response's latency), not estimates made here.
 */
const SUMMARY_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '${SUMMARY_PREFIX}{"requests":%d,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"min":%d,"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
`;

/** Beyond the load's duration and wrk's own request timeout, what wrk may take to start and report. */
const OVERRUN_GRACE_MS = 5000;
const STDERR_LIMIT = 16 * 1024;

export interface WrkLoadOptions {
  /** What to load, e.g. http://127.0.0.1:41234/ */
  url: string;
  durationSeconds: number;
  connections: number;
  threads: number;
  /** A request unanswered for this long counts as a timeout (wrk --timeout); 2 s by default, as wrk's. */
  requestTimeoutSeconds?: number;
  /** Host CPUs to run wrk on (a taskset list such as "0"); anywhere when absent. */
  pinCpus?: string;
  signal?: AbortSignal;
  /** wrk's path; $WRK_BIN or wrk on the PATH by default. */
  binary?: string;
}

export interface WrkErrors {
  connect: number;
  read: number;
  write: number;
  /** Responses with a status of 400 or more (counted among the requests too). */
  status: number;
  /**
   * Responses that came later than the request timeout (counted among the
   * requests too). A request never answered is counted nowhere (wrk 4.1): a
   * server that stops answering shows as requests missing, which is why the
   * guest's own count is checked against wrk's.
   */
  timeout: number;
}

export interface WrkResult {
  /** Responses received within the duration; requests still in flight at its end are not counted. */
  requests: number;
  /** How long wrk loaded, as it measured it. */
  durationUs: number;
  requestsPerSecond: number;
  bytes: number;
  errors: WrkErrors;
  latencyUs: { min: number; mean: number; p50: number; p90: number; p99: number; max: number };
  commandLine: readonly string[];
}

const WRK_ERROR_WORDS: Record<keyof WrkErrors, string> = {
  connect: "connect errors",
  read: "read errors",
  write: "write errors",
  status: "answers with status 400 or more",
  timeout: "answers later than wrk's timeout",
};

/** What wrk saw of a load, in a sentence's words: "812 answers in 1.0 s, no errors". */
export function describeWrkLoad(load: WrkResult): string {
  const seconds = (load.durationUs / 1e6).toFixed(1);
  const errors = (Object.keys(WRK_ERROR_WORDS) as (keyof WrkErrors)[])
    .filter((kind) => load.errors[kind] > 0)
    .map((kind) => `${load.errors[kind]} ${WRK_ERROR_WORDS[kind]}`);
  return `${load.requests} answers in ${seconds} s, ${errors.length ? errors.join(", ") : "no errors"}`;
}

/** wrk is not installed: says how to install it. */
export class WrkMissingError extends Error {
  override readonly name = "WrkMissingError";
  constructor(binary: string) {
    super(`the load generator wrk (${binary}) was not found: ${WRK_INSTALL_HINT}`);
  }
}

export class WrkLoadError extends Error {
  override readonly name = "WrkLoadError";
}

function wrkBinary(options: Pick<WrkLoadOptions, "binary">): string {
  return options.binary ?? (process.env.WRK_BIN || "wrk");
}

export async function checkWrk(binary = wrkBinary({})): Promise<Availability> {
  if (await findOnPath(binary)) return { available: true };
  return { available: false, reason: new WrkMissingError(binary).message };
}

/** "wrk debian/4.1.0-3+b2", from the first line `wrk -v` prints (it exits with 1 after its usage). */
export async function wrkVersion(binary = wrkBinary({})): Promise<string> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(binary, ["-v"], { timeout: 5000 }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") reject(new WrkMissingError(binary));
      else resolve(stdout);
    });
  });
  return /^(wrk \S+)/.exec(output)?.[1] ?? "wrk";
}

/** wrk's summary line among its output, as a result; throws when it is missing or malformed. */
export function parseWrkSummary(stdout: string, commandLine: readonly string[]): WrkResult {
  const line = stdout.split("\n").find((l) => l.startsWith(SUMMARY_PREFIX));
  if (!line) throw new WrkLoadError(`wrk printed no summary (${commandLine.join(" ")}); its output:\n${stdout.trim()}`);
  const parsed = JSON.parse(line.slice(SUMMARY_PREFIX.length)) as Omit<WrkResult, "requestsPerSecond" | "commandLine">;
  return {
    ...parsed,
    requestsPerSecond: parsed.durationUs > 0 ? parsed.requests / (parsed.durationUs / 1e6) : 0,
    commandLine,
  };
}

function checkOptions(options: WrkLoadOptions): void {
  const whole = (value: number, name: string, least: number): void => {
    if (!Number.isInteger(value) || value < least) throw new RangeError(`wrk: ${name} must be a whole number of at least ${least}, not ${value}`);
  };
  whole(options.durationSeconds, "the duration in seconds", 1);
  whole(options.threads, "the number of threads", 1);
  whole(options.connections, "the number of connections", 1);
  whole(options.requestTimeoutSeconds ?? 2, "the request timeout in seconds", 1);
  // wrk itself refuses it ("number of connections must be >= threads").
  if (options.connections < options.threads) {
    throw new RangeError(`wrk: ${options.connections} connection(s) cannot keep ${options.threads} threads busy; give at least as many connections as threads`);
  }
}

/** Loads `url` with wrk for the set duration and returns wrk's own figures. */
export async function runWrk(options: WrkLoadOptions): Promise<WrkResult> {
  checkOptions(options);
  const binary = wrkBinary(options);
  const found = await findOnPath(binary);
  if (!found) throw new WrkMissingError(binary);
  options.signal?.throwIfAborted();

  // A private directory that wrk's command line names (its script is in it):
  // the watchdog kills wrk with the VMMs if the tool dies mid-load.
  const scriptDir = createWorkDir();
  try {
    const script = path.join(scriptDir, "summary.lua");
    await writeFile(script, SUMMARY_SCRIPT);
    const timeoutSeconds = options.requestTimeoutSeconds ?? 2;
    const args = [
      "--threads", String(options.threads),
      "--connections", String(options.connections),
      "--duration", `${options.durationSeconds}s`,
      "--timeout", `${timeoutSeconds}s`,
      "--script", script,
      options.url,
    ];
    const commandLine = options.pinCpus ? ["taskset", "-c", options.pinCpus, binary, ...args] : [binary, ...args];
    // In a process group of its own, as the VMMs are, and killed with them if the tool exits.
    const child = spawnVmm(binary, args, options.pinCpus);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk;
    });
    const limitMs = (options.durationSeconds + timeoutSeconds) * 1000 + OVERRUN_GRACE_MS;
    let overran = false;
    const timer = setTimeout(() => {
      overran = true;
      child.kill("SIGKILL");
    }, limitMs);
    const onAbort = (): void => {
      child.kill("SIGKILL");
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once("error", reject);
      // "close": every byte of its output has been read.
      child.once("close", (code, signal) => resolve({ code, signal }));
    }).finally(() => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    });
    options.signal?.throwIfAborted();
    if (overran) throw new WrkLoadError(`wrk did not finish within ${limitMs} ms of a ${options.durationSeconds} s load and was killed (${commandLine.join(" ")})`);
    if (exit.code !== 0) {
      const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
      throw new WrkLoadError(`wrk failed (${how}): ${commandLine.join(" ")}\n${(stderr || stdout).trim()}`);
    }
    return parseWrkSummary(stdout, commandLine);
  } finally {
    removeWorkDir(scriptDir);
  }
}
