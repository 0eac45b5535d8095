// `benchmark-tool performance [target...]`: boots each target on each VMM,
// measures boot time, run time, image size and memory, and keeps the results.
import { Command, InvalidArgumentError, Option } from "../vendor/commander.js";
import { MAX_SEED, ORDERS, type Order } from "../vocabulary/orders.js";
import { WORKLOADS, type Workload } from "../vocabulary/workloads.js";
import { ACCEL_REQUESTS, type AccelRequest } from "../performance/vmm/accel.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../results/export/exporter.js";
import { dbUrlOption, mysqlExportOption, type ExportOptions } from "./mysql-options.js";
import { collectLabel, nonEmpty, seconds, wholeNumber } from "./option-parsers.js";

export const DEFAULT_TIMEOUT_SECONDS = 60;
/** With --workload http: each iteration's measured load, and its connections; wrk -c2 keeps 2 cores busy without starving the guest. */
export const DEFAULT_LOAD_SECONDS = 5;
export const DEFAULT_CONNECTIONS = 2;
const MAX_LOAD_SECONDS = 3600;
const MAX_CONNECTIONS = 1000;
/** --max-iterations when --precision is given without it (or -n, if larger). */
export const DEFAULT_MAX_ITERATIONS = 50;

/** addVmOptions's options. */
export interface VmOptions {
  pin?: string;
  vmm?: string[];
  accel: AccelRequest;
  memory?: number;
  vcpus: number;
  cpu?: string;
  workload: Workload;
  timeout: number;
  bootArgs?: string;
  firecrackerBin?: string;
}

/** How a server guest is loaded (--workload http). */
export interface LoadOptions {
  loadDuration?: number;
  connections?: number;
}

/** addRunKeepingOptions's options. */
export interface RunKeepingOptions extends ExportOptions {
  label?: string[];
  resultsDir?: string;
  cacheDir?: string;
  clearCache?: boolean;
  sourcesMirror?: string;
  debug?: boolean;
}

export interface PerformanceOptions extends VmOptions, LoadOptions, RunKeepingOptions {
  iterations: number;
  warmup: number;
  order: Order;
  seed?: number;
  precision?: number;
  maxIterations?: number;
  phases?: boolean;
  bootTimer?: boolean;
  output: OutputFormat;
}

/** Iterations beyond this would keep more samples than a run document should hold. */
export const MAX_ITERATIONS = 10_000;
const MAX_WARMUP = 1000;
/** QEMU's pc machine takes at most 255 vCPUs. */
const MAX_VCPUS = 255;
const MAX_TIMEOUT_SECONDS = 24 * 3600;
/** 4 TiB: more than any host here; the host's own size is checked before the run. */
const MAX_MEMORY_MIB = 4 * 2 ** 20;

function percent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 100) throw new InvalidArgumentError("--precision must be a percentage above 0 and below 100, e.g. 2 for ±2%.");
  return n;
}

export function registerPerformanceCommand(program: Command): void {
  const command = program
    .command("performance")
    .description("Measure time to boot, time to run, image size and total memory of unikernels on VMMs.")
    .argument("[target...]", "<unikernel>[:<vmm>] or a GitHub repository from the registry; none = every supported target")
    .option("-n, --iterations <n>", `measured iterations per target and VMM (1 to ${MAX_ITERATIONS})`, wholeNumber(1, MAX_ITERATIONS), 10)
    .option("-w, --warmup <n>", `unmeasured iterations first (0 to ${MAX_WARMUP})`, wholeNumber(0, MAX_WARMUP), 1)
    .addOption(
      new Option("--order <order>", "interleaved: warm-ups first, then rounds of one iteration per pair in a shuffled order; sequential: one pair after the other")
        .choices(ORDERS)
        .default("interleaved"),
    )
    .option("--seed <n>", "seed of the interleaved order's shuffles, to repeat a run's order (default: random, recorded)", wholeNumber(0, MAX_SEED))
    .option("--precision <percent>", "measure each pair until the 95% CI of its median boot time is within ± this % of the median (at least -n iterations)", percent)
    .option("--max-iterations <n>", `with --precision: at most this many measured iterations per pair (default ${DEFAULT_MAX_ITERATIONS}, or -n if larger)`, wholeNumber(1, MAX_ITERATIONS))
    .option("--phases", "also show where each iteration's time goes (VMM start-up, boot to first output, ... to the VMM reaped)");
  addVmOptions(command, "per iteration, from the boot to the guest's power-off (a server's loads come on top)");
  command
    .option("--load-duration <seconds>", `with --workload http: how long each iteration's measured load runs (1 to ${MAX_LOAD_SECONDS}; default ${DEFAULT_LOAD_SECONDS})`, wholeNumber(1, MAX_LOAD_SECONDS))
    .option("--connections <n>", `with --workload http: the load's open connections (1 to ${MAX_CONNECTIONS}; default ${DEFAULT_CONNECTIONS})`, wholeNumber(1, MAX_CONNECTIONS))
    .option("--boot-timer", "on Firecracker, also record its boot-timer device's boot time (guests that support it: null)")
    .addOption(new Option("--output <format>", "what goes to stdout").choices(OUTPUT_FORMATS).default("table"));
  addRunKeepingOptions(command);
  command.action(async (targets: string[], options: PerformanceOptions) => {
    process.exitCode = await (await import("./actions/performance.js")).runPerformance(targets, options);
  });
}

/** How each VM runs, shared with density; `timeoutScope` says what --timeout bounds. */
export function addVmOptions(command: Command, timeoutScope: string): void {
  command
    .option("--pin <cpus>", "run the VMMs on these host CPUs (e.g. 1, 2-3) and the tool on the others", nonEmpty)
    .option("--vmm <name...>", "restrict to these VMM backends")
    .addOption(new Option("--accel <accel>", "KVM, TCG (software), or KVM when it works").choices(ACCEL_REQUESTS).default("auto"))
    .option("--memory <MiB>", "guest memory (default: the target's own, else 128)", wholeNumber(1, MAX_MEMORY_MIB, "MiB"))
    .option("--vcpus <n>", `guest vCPUs (1 to ${MAX_VCPUS})`, wholeNumber(1, MAX_VCPUS), 1)
    .option("--cpu <model>", "QEMU CPU model (-cpu), e.g. host; QEMU's default when absent", nonEmpty)
    .addOption(new Option("--workload <name>", "what the guest runs").choices(WORKLOADS).default("hello"))
    .option("--timeout <seconds>", timeoutScope, seconds(MAX_TIMEOUT_SECONDS), DEFAULT_TIMEOUT_SECONDS)
    .option("--boot-args <args>", "appended to the guest's boot arguments (kernel command line)", nonEmpty)
    .option("--firecracker-bin <path>", "the Firecracker binary (default: $FIRECRACKER_BIN, else 'firecracker' on PATH, else one a recipe image ships)", nonEmpty);
}

/** Where the run is kept and what it is called, and the caches its builds use; shared with density. */
export function addRunKeepingOptions(command: Command): void {
  command
    .option("--label <text>", "a label stored with the run, e.g. baseline or commit=3f9a1c2 (repeatable); compare and report accept it in place of the run id", collectLabel)
    .option("--results-dir <dir>", "where results are kept (default ./results)", nonEmpty)
    .addOption(mysqlExportOption())
    .addOption(dbUrlOption())
    .option("--cache-dir <dir>", "where built guests are cached (default $XDG_CACHE_HOME/benchmark-tool)", nonEmpty)
    .option("--clear-cache", "rebuild Docker-built targets without Docker's layer cache, removing intermediate containers")
    // The variable is SOURCES_MIRROR_ENV (performance/targets/sources/mirror.ts), named here so that help does not load the sources' schema.
    .option("--sources-mirror <dir>", "take the recipes' upstream sources from this mirror (<host>/<path> of each URL), nothing from the network (default $BENCHMARK_TOOL_SOURCES_MIRROR)", nonEmpty)
    .option("--debug", "also show the guest console, VMM command lines and build logs");
}
