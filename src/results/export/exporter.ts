// One interface for every format a performance run can be written in, and the
// formats' names (light to import: the CLI offers them before loading any).
import type { PerformanceRun } from "../schema.js";

export const OUTPUT_FORMATS = ["table", "json", "csv", "markdown"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface Exporter {
  render(run: PerformanceRun): string;
}
