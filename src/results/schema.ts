// The versioned JSON document of one performance run. Every document is
// validated against this schema before it is written or imported; bump
// PERFORMANCE_SCHEMA_VERSION (src/results/schema-versions.ts) when a change
// would break a reader. Fields added within a version are optional, so that
// documents saved before them stay valid.
import { z } from "zod";
import { BOOT_PHASES } from "../vocabulary/boot-phases.js";
import { ORDERS } from "../vocabulary/orders.js";
import { WORKLOADS } from "../vocabulary/workloads.js";
import { METRICS } from "./metrics.js";
import { PERFORMANCE_SCHEMA_VERSION } from "./schema-versions.js";

export const SummarySchema = z.object({
  n: z.number().int().positive(),
  mean: z.number(),
  median: z.number(),
  stddev: z.number().nonnegative(),
  min: z.number(),
  max: z.number(),
  p95: z.number(),
  ci95Low: z.number(),
  ci95High: z.number(),
  outlierIndexes: z.array(z.number().int().nonnegative()),
});

const count = z.number().int().nonnegative();

/** What a server guest gave in one iteration (the http workload, docs/http.md). */
export const ServingSchema = z.object({
  /** From the boot signal to the first complete HTTP answer the tool received. */
  firstAnswerNs: z.number().nonnegative(),
  probeIntervalMs: z.number().positive(),
  probeAttempts: z.number().int().positive(),
  firstAnswer: z.object({ status: z.number().int(), body: z.string() }),
  load: z.object({
    generator: z.string(),
    durationNs: z.number().nonnegative(),
    connections: z.number().int().positive(),
    threads: z.number().int().positive(),
    requests: count,
    requestsPerSecond: z.number().nonnegative(),
    errors: z.object({ connect: count, read: count, write: count, status: count, timeout: count }),
    latencyNs: z.object({ p50: z.number().nonnegative(), p90: z.number().nonnegative(), p99: z.number().nonnegative(), max: z.number().nonnegative() }),
  }),
  idleRssBytes: count,
  loadPeakRssBytes: count,
  /** What the guest counted it answered (BENCHMARK_TOOL_SERVED), and how many of those the tool sent itself. */
  servedByGuest: count,
  toolRequests: count,
});

export const IterationSchema = z.object({
  index: z.number().int().nonnegative(),
  warmup: z.boolean(),
  /** When the iteration began (ISO 8601), so that the run's order can be seen; absent in runs before it was recorded. */
  startedAt: z.string().optional(),
  vmmStartupNs: z.number().nonnegative(),
  bootNs: z.number().nonnegative(),
  runNs: z.number().nonnegative(),
  peakRssBytes: z.number().int().nonnegative(),
  peakRssExact: z.boolean(),
  guestEndReason: z.string(),
  /** The boot time the VMM measured itself (Firecracker's boot timer, --boot-timer), beside bootNs. */
  vmmReportedBootNs: z.number().nonnegative().optional(),
  /**
   * The boot time the guest stated on its console (OSv's "Booted up in", Unikraft's clock on reaching
   * main()), beside bootNs: measured by the guest's own clock, from its own start (docs/unikernels.md).
   */
  guestReportedBootNs: z.number().nonnegative().optional(),
  /** Why guestReportedBootNs is absent although the target states its boot time (OSv's "Booted up in 0.00 ms" under TCG is no measurement). */
  guestReportedBootAbsent: z.string().optional(),
  /** A server guest's first answer, the load it served and its memory while serving (the http workload). */
  serving: ServingSchema.optional(),
  /** Named durations on the tool's clock (src/performance/measure/boot-phases.ts); absent in runs before they were recorded. */
  phasesNs: z.record(z.enum(BOOT_PHASES), z.number().nonnegative()).optional(),
  memorySeries: z.object({
    offsetsNs: z.array(z.number()),
    rssBytes: z.array(z.number().int().nonnegative()),
  }),
});

export const EntrySchema = z.object({
  target: z.string(),
  vmm: z.string(),
  repository: z.string().optional(),
  /** skipped: named by the user but cannot run here; unavailable: the same for a pair the tool chose (no error). */
  status: z.enum(["ok", "failed", "skipped", "unavailable", "interrupted"]),
  error: z.string().optional(),
  accel: z.enum(["kvm", "tcg"]).optional(),
  vmmVersion: z.string().optional(),
  commandLine: z.array(z.string()).optional(),
  bootArgs: z.string().optional(),
  memoryMiB: z.number().int().positive().optional(),
  vcpus: z.number().int().positive(),
  image: z
    .object({
      sizeBytes: z.number().int().nonnegative(),
      files: z.array(z.object({ role: z.enum(["kernel", "initrd", "disk"]), path: z.string(), bytes: z.number().int().nonnegative() })),
    })
    .optional(),
  iterations: z.array(IterationSchema),
  /** With --precision: whether the 95% CI of the median boot time got within ± targetPercent of the median. */
  precision: z
    .object({
      targetPercent: z.number().positive(),
      reached: z.boolean(),
      halfWidthPercent: z.number().nonnegative().optional(),
      medianCi95LowMs: z.number().optional(),
      medianCi95HighMs: z.number().optional(),
    })
    .optional(),
  /**
   * Over the measured (not warm-up) iterations; absent when there are none. The
   * reported metrics are there only when every measured iteration has them.
   */
  summary: z.partialRecord(z.enum(METRICS), SummarySchema).optional(),
  warnings: z.array(z.string()),
});

const VmmProcessSchema = z.object({ pid: z.number().int().positive(), command: z.string() });

const NoiseSnapshotSchema = z.object({
  checkedAt: z.string(),
  loadAverage: z.array(z.number().nonnegative()),
  otherVmms: z.array(VmmProcessSchema),
  swapUsedBytes: z.number().int().nonnegative(),
  cpuGovernors: z.array(z.string()).optional(),
  boost: z.boolean().optional(),
});

export const HostSchema = z.object({
  /** The machine's host name; absent in runs saved before it was recorded. */
  hostname: z.string().optional(),
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  memoryBytes: z.number().int().positive(),
  kernel: z.string(),
  os: z.string(),
  arch: z.string(),
  nodeVersion: z.string(),
  kvmUsable: z.boolean(),
  /** VMM name -> version string, for the VMMs this run used. */
  vmmVersions: z.record(z.string(), z.string()),
  /** What else the host was doing before and during the run (src/performance/host/host-noise.ts). */
  noise: z
    .object({
      before: NoiseSnapshotSchema,
      during: z
        .object({
          seconds: z.number().nonnegative(),
          intervals: z.number().int().nonnegative(),
          othersBusyCoresMean: z.number().nonnegative(),
          othersBusyCoresMax: z.number().nonnegative(),
          stealPercent: z.number().nonnegative(),
          maxLoadAverage1m: z.number().nonnegative(),
          otherVmms: z.array(VmmProcessSchema),
          swappedPages: z.number().int().nonnegative(),
        })
        .optional(),
      warnings: z.array(z.string()),
    })
    .optional(),
});

export const ConfigSchema = z.object({
  targets: z.array(z.string()),
  vmms: z.array(z.string()).optional(),
  iterations: z.number().int().positive(),
  warmup: z.number().int().nonnegative(),
  /** Absent in runs from before the order could be chosen, which were sequential. */
  order: z.enum(ORDERS).optional(),
  /** Seeds the interleaved order's per-round shuffles (--seed repeats it). */
  seed: z.number().int().nonnegative().optional(),
  precisionPercent: z.number().positive().optional(),
  maxIterations: z.number().int().positive().optional(),
  /** --pin: the CPUs the VMMs ran on, and the ones the tool moved to (absent when it had to share). */
  pin: z.object({ vmmCpus: z.string(), toolCpus: z.string().optional() }).optional(),
  accel: z.enum(["auto", "kvm", "tcg"]),
  memoryMiB: z.number().int().positive().optional(),
  vcpus: z.number().int().positive(),
  workload: z.enum(WORKLOADS),
  timeoutSeconds: z.number().positive(),
  bootArgs: z.string().optional(),
  bootTimer: z.boolean().optional(),
  sampleIntervalMs: z.number().positive(),
  /** With --workload http: how each server guest was loaded. */
  load: z
    .object({
      generator: z.string(),
      durationSeconds: z.number().positive(),
      connections: z.number().int().positive(),
      threads: z.number().int().positive(),
      warmupSeconds: z.number().nonnegative(),
    })
    .optional(),
});

export const PerformanceRunSchema = z.object({
  schemaVersion: z.literal(PERFORMANCE_SCHEMA_VERSION),
  kind: z.literal("performance"),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  host: HostSchema,
  config: ConfigSchema,
  /** `performance --label`: what the user called the run (a commit, `baseline`); absent in runs saved before labels. */
  labels: z.array(z.string()).optional(),
  interrupted: z.boolean(),
  /** Targets and VMMs left out of an implicit selection, and why. */
  leftOut: z.array(z.string()),
  results: z.array(EntrySchema),
  /** With --workload http: the same load against the same server run on the host, the generator's ceiling here (docs/http.md). */
  generatorCeiling: z
    .object({
      generator: z.string(),
      requestsPerSecond: z.number().nonnegative(),
      requests: count,
      durationNs: z.number().nonnegative(),
      latencyNs: z.object({ p50: z.number().nonnegative(), p99: z.number().nonnegative() }),
    })
    .optional(),
});

export type PerformanceRun = z.infer<typeof PerformanceRunSchema>;
export type RunEntry = z.infer<typeof EntrySchema>;
export type RunHost = z.infer<typeof HostSchema>;
export type RunConfig = z.infer<typeof ConfigSchema>;
