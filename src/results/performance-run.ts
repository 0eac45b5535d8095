// Assembles the run document from what the runner measured: summaries per
// metric over the measured iterations, the host, the configuration.
import type { EntryResult } from "../performance/types.js";
import { metricSamples } from "./compare/iteration-metrics.js";
import { summarize, type Summary } from "../statistics/summary.js";
import { pairWarnings, summaryWarnings } from "../warnings/warnings.js";
import { METRIC_INFO, METRICS, type Metric } from "./metrics.js";
import { PerformanceRunSchema, type PerformanceRun, type RunConfig, type RunEntry, type RunHost } from "./schema.js";
import { PERFORMANCE_SCHEMA_VERSION } from "./schema-versions.js";
import { TOOL_NAME, TOOL_VERSION } from "../tool-version.js";

export function summarizeEntry(entry: EntryResult): RunEntry {
  const measured = entry.iterations.filter((i) => !i.warmup);
  const { commandLine, ...rest } = entry;
  const result: RunEntry = { ...rest, iterations: entry.iterations, warnings: [...entry.warnings] };
  if (commandLine) result.commandLine = [...commandLine];
  if (measured.length === 0) return result;
  const summary: Partial<Record<Metric, Summary>> = {};
  for (const metric of METRICS) {
    const samples = metricSamples(measured, metric);
    if (!samples) continue;
    summary[metric] = summarize(samples);
    result.warnings.push(...summaryWarnings(METRIC_INFO[metric].label, summary[metric]));
  }
  if (measured.length > 2 && measured[0]!.bootNs > 2 * summary.bootTimeMs!.median * 1e6) {
    result.warnings.push(pairWarnings.firstIterationSlow());
  }
  result.summary = summary;
  return result;
}

/** Where a server's throughput comes within this share of the generator's ceiling, the generator may be what limits it. */
const NEAR_CEILING_SHARE = 0.8;

/** Warnings about what a server guest served: errors under load, a throughput that the generator itself may have capped. */
function servingWarnings(entry: RunEntry, ceiling: GeneratorCeiling | undefined): string[] {
  const measured = entry.iterations.filter((i) => !i.warmup && i.serving);
  if (measured.length === 0) return [];
  const warnings: string[] = [];
  const errors = measured.reduce((sum, i) => sum + Object.values(i.serving!.load.errors).reduce((a, b) => a + b, 0), 0);
  if (errors > 0) warnings.push(pairWarnings.loadErrors(errors, measured.reduce((sum, i) => sum + i.serving!.load.requests, 0)));
  const rps = entry.summary?.requestsPerSecond?.median;
  if (ceiling && rps !== undefined && rps >= NEAR_CEILING_SHARE * ceiling.requestsPerSecond) {
    warnings.push(pairWarnings.nearGeneratorCeiling(rps, ceiling.requestsPerSecond, ceiling.generator));
  }
  return warnings;
}

export type GeneratorCeiling = NonNullable<PerformanceRun["generatorCeiling"]>;

export interface RunDocumentInput {
  runId: string;
  startedAt: Date;
  finishedAt: Date;
  host: RunHost;
  config: RunConfig;
  labels: string[];
  interrupted: boolean;
  leftOut: string[];
  entries: RunEntry[];
  generatorCeiling?: GeneratorCeiling;
}

export function buildRunDocument(input: RunDocumentInput): PerformanceRun {
  return PerformanceRunSchema.parse({
    schemaVersion: PERFORMANCE_SCHEMA_VERSION,
    kind: "performance",
    runId: input.runId,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    host: input.host,
    config: input.config,
    labels: input.labels,
    interrupted: input.interrupted,
    leftOut: input.leftOut,
    results: input.entries.map((entry) => ({ ...entry, warnings: [...entry.warnings, ...servingWarnings(entry, input.generatorCeiling)] })),
    ...(input.generatorCeiling ? { generatorCeiling: input.generatorCeiling } : {}),
  });
}
