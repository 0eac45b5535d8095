// Aligned plain-text and Markdown tables, shared by every table output.

export type Align = "left" | "right";

export interface TableSpec {
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** Per column; left by default. */
  align?: readonly Align[];
}

function widths(spec: TableSpec): number[] {
  return spec.header.map((h, c) => Math.max(h.length, ...spec.rows.map((row) => (row[c] ?? "").length)));
}

function pad(text: string, width: number, align: Align | undefined): string {
  return align === "right" ? text.padStart(width) : text.padEnd(width);
}

export function formatTextTable(spec: TableSpec): string {
  const w = widths(spec);
  const line = (cells: readonly string[]): string => cells.map((cell, c) => pad(cell ?? "", w[c]!, spec.align?.[c])).join("  ").trimEnd();
  const rule = w.map((n) => "─".repeat(n)).join("  ");
  return [line(spec.header), rule, ...spec.rows.map(line)].join("\n") + "\n";
}

export function formatMarkdownTable(spec: TableSpec): string {
  const escape = (cells: readonly string[]): string[] => cells.map((text) => (text ?? "").replace(/\|/g, "\\|"));
  const escaped: TableSpec = { ...spec, header: escape(spec.header), rows: spec.rows.map(escape) };
  const w = widths(escaped);
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, c) => pad(cell, w[c]!, spec.align?.[c])).join(" | ")} |`;
  const rule = `|${w.map((n, c) => (spec.align?.[c] === "right" ? `${"-".repeat(n + 1)}:` : "-".repeat(n + 2))).join("|")}|`;
  return [line(escaped.header), rule, ...escaped.rows.map(line)].join("\n") + "\n";
}
