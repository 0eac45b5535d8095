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
    results: input.entries,
  });
}
