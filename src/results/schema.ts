// The versioned JSON document of one performance run. Every document is
// validated against this schema before it is written or imported; bump
// PERFORMANCE_SCHEMA_VERSION (src/results/schema-versions.ts) when a change
// would break a reader. Fields added within a version are optional, so that
// documents saved before them stay valid.
import { z } from "zod";
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

export const IterationSchema = z.object({
  index: z.number().int().nonnegative(),
  warmup: z.boolean(),
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
  memorySeries: z.object({
    offsetsNs: z.array(z.number()),
    rssBytes: z.array(z.number().int().nonnegative()),
  }),
});

export const EntrySchema = z.object({
  target: z.string(),
  vmm: z.string(),
  repository: z.string().optional(),
  status: z.enum(["ok", "failed", "skipped", "interrupted"]),
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
  /**
   * Over the measured (not warm-up) iterations; absent when there are none. The
   * reported metrics are there only when every measured iteration has them.
   */
  summary: z.partialRecord(z.enum(METRICS), SummarySchema).optional(),
  warnings: z.array(z.string()),
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
});

export const ConfigSchema = z.object({
  targets: z.array(z.string()),
  vmms: z.array(z.string()).optional(),
  iterations: z.number().int().positive(),
  warmup: z.number().int().nonnegative(),
  accel: z.enum(["auto", "kvm", "tcg"]),
  memoryMiB: z.number().int().positive().optional(),
  vcpus: z.number().int().positive(),
  workload: z.enum(["hello", "alloc"]),
  timeoutSeconds: z.number().positive(),
  bootArgs: z.string().optional(),
  bootTimer: z.boolean().optional(),
  sampleIntervalMs: z.number().positive(),
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
});

export type PerformanceRun = z.infer<typeof PerformanceRunSchema>;
export type RunEntry = z.infer<typeof EntrySchema>;
export type RunHost = z.infer<typeof HostSchema>;
export type RunConfig = z.infer<typeof ConfigSchema>;
