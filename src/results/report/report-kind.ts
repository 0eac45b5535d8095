// What the HTML report shows of each kind of run, behind one interface: its
// line in the list of runs, the charts of all its runs together, and the
// tables under the charts. One file per kind fulfils it.
import type { NoteGroup, TableSpec } from "../../output/text-table.js";
import type { ChartSpec } from "./chart-spec.js";
import type { Scale } from "./scales.js";

/** A run's document with the id the report names it by. */
export interface ReportedRun<Run> {
  runId: string;
  document: Run;
}

export interface ReportTable {
  title: string;
  table: TableSpec;
  notes: NoteGroup[];
}

/** A run's line in the report's list of runs, after its kind, id and start. */
export interface RunLine {
  /** What it measured, and where (plain text). */
  text: string;
  labels?: readonly string[];
  interrupted?: boolean;
}

export interface ReportKind<Run> {
  describe(run: Run): RunLine;
  /** The charts of every run of this kind in the report, drawn together; none when there is nothing to draw. */
  charts(runs: ReadonlyArray<ReportedRun<Run>>, scale: Scale): ChartSpec[];
  /** The tables under the charts, with their notes. */
  tables(run: ReportedRun<Run>): ReportTable[];
}
