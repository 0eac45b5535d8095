// One interface for every format a run of any kind can be written in, and the
// formats' names (light to import: the CLI offers them before loading any).
import type { RunEntry } from "../schema.js";
import type { SummaryRow } from "./summary-rows.js";

export const OUTPUT_FORMATS = ["table", "json", "csv", "markdown"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A target and VMM's boot phases as rows of the summary (--phases). */
export type PhaseRows = (entry: RunEntry) => Array<Pick<SummaryRow, "metric" | "unit" | "summary">>;

export interface RenderOptions {
  /**
   * Also each target and VMM's boot phases (--phases): phaseRows of
   * ./phase-rows.js, which summarises the samples itself and so loads the
   * statistics; passed in so that rendering without phases does not.
   */
  phaseRows?: PhaseRows;
  /** What a text table keeps to (the terminal's width); no limit when absent. */
  width?: number;
}

/** Writes a run of one kind (its document) in one format. */
export interface Exporter<Run> {
  render(run: Run, options?: RenderOptions): string;
}

/** Every format, for runs of one kind. */
export type Exporters<Run> = Record<OutputFormat, Exporter<Run>>;
