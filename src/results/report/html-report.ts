// One self-contained HTML file for one or more stored runs: ECharts' minified
// build and the data are inlined, so the file opens with no network.
import { readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Logger } from "../../log/logger.js";
import type { NoteGroup, TableSpec } from "../../output/text-table.js";
import type { StoredRun } from "../store/stored-run.js";
import type { ChartSpec } from "./chart-spec.js";
import { chartSpecs } from "./chart-specs.js";
import { reportOf } from "./report-kinds.js";
import type { Scale } from "./scales.js";
import { makeDirectory } from "../../files.js";

let echartsSource: string | undefined;

/** ECharts' minified browser build, from the installed package. */
function echartsScript(): string {
  if (echartsSource === undefined) {
    const main = createRequire(import.meta.url).resolve("echarts");
    echartsSource = readFileSync(path.join(path.dirname(main), "echarts.min.js"), "utf8");
  }
  return echartsSource;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON that cannot end the <script> element it sits in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function htmlNotes(groups: readonly NoteGroup[]): string {
  return groups
    .filter((group) => group.notes.length)
    .map((group) => `\n<p>${escapeHtml(group.title)}</p><ul>${group.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join("")}</ul>`)
    .join("");
}

function htmlTable(spec: TableSpec): string {
  const cell = (tag: string, text: string, c: number): string => `<${tag}${spec.align?.[c] === "right" ? ' class="num"' : ""}>${escapeHtml(text)}</${tag}>`;
  return `<table><thead><tr>${spec.header.map((h, c) => cell("th", h, c)).join("")}</tr></thead><tbody>${spec.rows
    .map((row) => `<tr>${row.map((text, c) => cell("td", text, c)).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

function runHeading(stored: StoredRun): string {
  const { kind, run } = reportOf(stored);
  const line = kind.describe(run.document);
  const labels = line.labels?.length ? `; labels ${line.labels.map((l) => `<code>${escapeHtml(l)}</code>`).join(", ")}` : "";
  return `<li>${stored.kind} run <code>${escapeHtml(stored.runId)}</code>, ${escapeHtml(stored.document.startedAt)}: ${escapeHtml(line.text)}${labels}${line.interrupted ? "; <strong>interrupted</strong>" : ""}</li>`;
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.row { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; align-items: start; }
.chart { height: 380px; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 8px; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 12px; }
label.scale { font-size: 12px; font-weight: normal; margin-left: 12px; }
`;

const INIT_SCRIPT = `
const report = JSON.parse(document.getElementById("report-data").textContent);
const charts = report.charts.map((spec) => {
  const element = document.querySelector('[data-chart="' + spec.id + '"]');
  const chart = echarts.init(element, null, { renderer: "canvas" });
  chart.setOption(spec.option);
  element.dataset.rendered = "true";
  // Values spanning orders of magnitude (a null guest beside Linux) need a log axis to be seen at all.
  const logBox = document.querySelector('[data-log-scale="' + spec.id + '"]');
  // Bars start at the axis minimum on a log scale, at 0 on a linear one.
  const logAxis = () => (spec.barStart === undefined ? { type: "log" } : { type: "log", min: spec.barStart, startValue: spec.barStart });
  const linearAxis = () => (spec.barStart === undefined ? { type: "value" } : { type: "value", min: null, startValue: 0 });
  if (logBox) logBox.addEventListener("change", () => chart.setOption({ yAxis: logBox.checked ? logAxis() : linearAxis() }));
  return chart;
});
window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
`;

function chartHeading(chart: ChartSpec): string {
  const logBox =
    chart.logScale === undefined ? "" : `<label class="scale"><input type="checkbox" data-log-scale="${chart.id}"${chart.logScale ? " checked" : ""}> log scale</label>`;
  return `<h2>${escapeHtml(chart.title)}${logBox}</h2>`;
}

/** scale: the value axes' scale to start with; auto picks log where the values span two orders of magnitude. */
export function renderHtmlReport(runs: StoredRun[], scale: Scale = "auto", generatedAt = new Date()): string {
  const charts = chartSpecs(runs, scale);
  const sections = charts.map(
    (c) => `${chartHeading(c)}\n<div class="row"><div class="chart" data-chart="${c.id}"></div><div>${htmlTable(c.table)}</div></div>`,
  );
  const summaries = runs.flatMap((stored) => {
    const { kind, run } = reportOf(stored);
    return kind.tables(run).map((t) => `<h2>${escapeHtml(t.title)}</h2>\n${htmlTable(t.table)}${htmlNotes(t.notes)}`);
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>benchmark-tool report: ${escapeHtml(runs.map((r) => r.runId).join(", "))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>benchmark-tool report</h1>
<p>Generated ${escapeHtml(generatedAt.toISOString())} from:</p>
<ul>${runs.map(runHeading).join("\n")}</ul>
${sections.join("\n")}
${summaries.join("\n")}
<script>${echartsScript()}</script>
<script type="application/json" id="report-data">${scriptJson({ charts: charts.map((c) => ({ id: c.id, option: c.option, ...(c.barStart !== undefined ? { barStart: c.barStart } : {}) })) })}</script>
<script>${INIT_SCRIPT}</script>
</body>
</html>
`;
}

/** Writes the report atomically; returns its path. */
export async function writeHtmlReport(file: string, runs: StoredRun[], scale: Scale = "auto"): Promise<string> {
  await makeDirectory(path.dirname(file));
  const partial = `${file}.partial`;
  await writeFile(partial, renderHtmlReport(runs, scale));
  await rename(partial, file);
  return file;
}

export function automaticReportPath(resultsDir: string, runId: string): string {
  return path.join(resultsDir, "reports", `${runId}.html`);
}

/** The report a performance run writes of itself; a failure is logged, not thrown: the run's results are already kept. */
export async function writeAutomaticReport(resultsDir: string, run: StoredRun, log: Logger): Promise<boolean> {
  try {
    log.info(`Report written to ${await writeHtmlReport(automaticReportPath(resultsDir, run.runId), [run])}`);
    return true;
  } catch (error) {
    log.error(`Could not write the HTML report of run ${run.runId}: ${(error as Error).message}; try \`benchmark-tool report ${run.runId}\``);
    return false;
  }
}
