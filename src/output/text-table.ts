// Aligned plain-text and Markdown tables, shared by every table output, and
// the notes printed below a table. A text table keeps to a width: the
// terminal's, or OUTPUT_WIDTH when the output is a pipe or a file.

export type Align = "left" | "right";

export interface TableSpec {
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** Per column; left by default. */
  align?: readonly Align[];
  /** Columns that may be left out when the table is too wide, the first listed going first. */
  optional?: readonly number[];
}

/** The width of output that is not a terminal. */
export const OUTPUT_WIDTH = 160;
const GAP = "  ";
/** A column shortened to fit keeps at least this many characters. */
const MIN_SHORTENED_WIDTH = 12;

/** The terminal's width when stdout is one, else $COLUMNS when set (e.g. `COLUMNS=250 benchmark-tool history | less`), else OUTPUT_WIDTH. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : OUTPUT_WIDTH;
}

function widths(spec: TableSpec): number[] {
  return spec.header.map((h, c) => Math.max(h.length, ...spec.rows.map((row) => (row[c] ?? "").length)));
}

function pad(text: string, width: number, align: Align | undefined): string {
  return align === "right" ? text.padStart(width) : text.padEnd(width);
}

function tableWidth(columnWidths: readonly number[]): number {
  return columnWidths.reduce((sum, w) => sum + w, 0) + GAP.length * (columnWidths.length - 1);
}

function keepColumns(spec: TableSpec, keep: readonly number[]): TableSpec {
  return {
    header: keep.map((c) => spec.header[c]!),
    rows: spec.rows.map((row) => keep.map((c) => row[c] ?? "")),
    ...(spec.align ? { align: keep.map((c) => spec.align![c] ?? "left") } : {}),
  };
}

function shorten(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/**
 * An aligned table no wider than maxWidth: optional columns are left out
 * first (and named below the table), then the last column's cells are shortened.
 */
export function formatTextTable(spec: TableSpec, maxWidth = Number.POSITIVE_INFINITY): string {
  let keep = spec.header.map((_, c) => c);
  const leftOut: string[] = [];
  for (const column of spec.optional ?? []) {
    if (tableWidth(widths(keepColumns(spec, keep))) <= maxWidth) break;
    keep = keep.filter((c) => c !== column);
    leftOut.push(spec.header[column]!);
  }
  const kept = keepColumns(spec, keep);
  const w = widths(kept);
  const last = w.length - 1;
  const over = tableWidth(w) - maxWidth;
  if (over > 0) w[last] = Math.max(MIN_SHORTENED_WIDTH, w[last]! - over);
  const line = (cells: readonly string[]): string =>
    cells.map((cell, c) => pad(c === last ? shorten(cell ?? "", w[c]!) : (cell ?? ""), w[c]!, kept.align?.[c])).join(GAP).trimEnd();
  const lines = [line(kept.header), w.map((n) => "─".repeat(n)).join(GAP), ...kept.rows.map(line)];
  if (leftOut.length) lines.push(...wrapText(`(left out to fit ${maxWidth} columns: ${leftOut.join(", ")})`, maxWidth));
  return lines.join("\n") + "\n";
}

export function formatMarkdownTable(spec: TableSpec): string {
  const escape = (cells: readonly string[]): string[] => cells.map((text) => (text ?? "").replace(/\|/g, "\\|"));
  const escaped: TableSpec = { ...spec, header: escape(spec.header), rows: spec.rows.map(escape) };
  const w = widths(escaped);
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, c) => pad(cell, w[c]!, spec.align?.[c])).join(" | ")} |`;
  const rule = `|${w.map((n, c) => (spec.align?.[c] === "right" ? `${"-".repeat(n + 1)}:` : "-".repeat(n + 2))).join("|")}|`;
  return [line(escaped.header), rule, ...escaped.rows.map(line)].join("\n") + "\n";
}

/** Words laid out in lines of at most `width` characters, the lines after the first starting with `indent`. */
export function wrapText(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  let current = "";
  const room = (): number => width - (lines.length ? indent.length : 0);
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > room()) {
      lines.push(current);
      current = "";
    }
    let rest = word;
    // A word longer than a whole line (a long path or URL) is cut, as a terminal would.
    while (!current && rest.length > room()) {
      const fit = room();
      lines.push(rest.slice(0, fit));
      rest = rest.slice(fit);
    }
    current = current ? `${current} ${rest}` : rest;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines.map((line, k) => (k === 0 ? line : indent + line));
}

/** "a, b: why" for each reason, the subjects that share it together, in order of first appearance. */
export function notesByReason(items: ReadonlyArray<{ subject: string; reason: string }>): string[] {
  const subjects = new Map<string, string[]>();
  for (const { subject, reason } of items) subjects.set(reason, [...(subjects.get(reason) ?? []), subject]);
  return [...subjects].map(([reason, names]) => `${names.join(", ")}: ${reason}`);
}

export interface NoteGroup {
  title: string;
  notes: readonly string[];
}

/** Groups of notes below a table: titles wrapped to the width, each note too with its following lines indented. */
export function formatNotes(groups: readonly NoteGroup[], width: number): string {
  const blocks = groups
    .filter((group) => group.notes.length)
    .map((group) =>
      [...wrapText(group.title, width), ...group.notes.flatMap((note) => wrapText(note, width - 2, "  ").map((line) => `  ${line}`))].join("\n"),
    );
  return blocks.length ? `\n${blocks.join("\n\n")}\n` : "";
}
