// The versioned JSON document of one density run: per target and VMM, a level
// per VM count, each with every VM of every round, the rounds' host-side
// figures, and the level's summary. Validated before it is written or read.
// Times are nanoseconds as in performance (schema version 2); the summaries
// give milliseconds, as performance's do. Version 1 documents, whose VMs and
// rounds gave milliseconds, are upgraded as they are read (density-upgrade.ts).
import { z } from "zod";
import { ConfigSchema, EntrySchema, PerformanceRunSchema } from "./schema.js";
import { DENSITY_SCHEMA_VERSION } from "./schema-versions.js";

const bytes = z.number().int().nonnegative();
const ms = z.number().nonnegative();
const ns = z.number().nonnegative();

export const DensityVmSchema = z.object({
  round: z.number().int().positive(),
  vm: z.number().int().nonnegative(),
  status: z.enum(["ok", "failed", "interrupted"]),
  error: z.string().optional(),
  vmmStartupNs: ns.optional(),
  /** From the VM's own boot signal to its readiness, on the tool's monotonic clock. */
  bootNs: ns.optional(),
  /** From the VM's own boot signal to its guest's end. */
  runNs: ns.optional(),
  guestEndReason: z.string().optional(),
  rssBytes: bytes.optional(),
  pssBytes: bytes.optional(),
  ussBytes: bytes.optional(),
  peakRssBytes: bytes.optional(),
});

export const DensityRoundSchema = z.object({
  round: z.number().int().positive(),
  releaseSpreadNs: ns.optional(),
  allReadyNs: ns.optional(),
  memAvailableBeforeBytes: bytes,
  memAvailableWhileUpBytes: bytes.optional(),
  ksm: z.object({ run: z.number().int(), pagesShared: bytes, pagesSharing: bytes }).optional(),
});

export const LevelSummarySchema = z.object({
  vmsTotal: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  bootMedianMs: ms.optional(),
  bootP95Ms: ms.optional(),
  runMedianMs: ms.optional(),
  allReadyMedianMs: ms.optional(),
  releaseSpreadMaxMs: ms.optional(),
  rssPerVmBytes: z.number().nonnegative().optional(),
  pssPerVmBytes: z.number().nonnegative().optional(),
  ussPerVmBytes: z.number().nonnegative().optional(),
  peakRssMaxBytes: bytes.optional(),
  /** Negative when the host's available memory grew meanwhile (other processes freed some). */
  hostMemoryPerVmBytes: z.number().optional(),
});

export const DensityLevelSchema = z.object({
  vms: z.number().int().positive(),
  perVm: z.array(DensityVmSchema),
  rounds: z.array(DensityRoundSchema),
  summary: LevelSummarySchema,
});

export const DensityEntrySchema = EntrySchema.pick({
  target: true,
  vmm: true,
  repository: true,
  status: true,
  error: true,
  accel: true,
  vmmVersion: true,
  bootArgs: true,
  memoryMiB: true,
  vcpus: true,
  image: true,
  warnings: true,
}).extend({
  levels: z.array(DensityLevelSchema),
  largestFullLevel: z.number().int().positive().optional(),
  stopReason: z.string().optional(),
});

export const DensityConfigSchema = ConfigSchema.pick({
  targets: true,
  vmms: true,
  pin: true,
  accel: true,
  memoryMiB: true,
  vcpus: true,
  workload: true,
  timeoutSeconds: true,
  bootArgs: true,
}).extend({
  /** The levels asked for (--vms), or with untilFailure the doubling's limit (--max-vms) as the last. */
  vms: z.array(z.number().int().positive()),
  rounds: z.number().int().positive(),
  untilFailure: z.boolean().optional(),
  memoryMarginBytes: bytes,
});

/** A performance run's document, with the density configuration and results. */
export const DensityRunSchema = PerformanceRunSchema.extend({
  schemaVersion: z.literal(DENSITY_SCHEMA_VERSION),
  kind: z.literal("density"),
  config: DensityConfigSchema,
  results: z.array(DensityEntrySchema),
});

export type DensityRun = z.infer<typeof DensityRunSchema>;
export type DensityEntry = z.infer<typeof DensityEntrySchema>;
export type DensityLevel = z.infer<typeof DensityLevelSchema>;
