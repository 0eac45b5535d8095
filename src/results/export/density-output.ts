// How a density run is written: a table per target and VMM with a row per
// level (boot times under contention, memory per VM, failures), or the whole
// run as JSON, or the rows as CSV or Markdown.
import { toCsv } from "../../output/csv.js";
import { formatMarkdownTable, formatNotes, formatTextTable, type NoteGroup, type TableSpec } from "../../output/text-table.js";
import type { DensityEntry, DensityRun } from "../density-schema.js";
import type { Exporters } from "./exporter.js";
import { jsonExporter } from "./json.js";
import { formatNumber } from "./summary-rows.js";

const MIB = 2 ** 20;
const HEADER = ["VMs", "Rounds", "Boot median", "Boot p95", "All ready", "Release spread", "RSS/VM", "PSS/VM", "USS/VM", "Host mem/VM", "Failed"];

const ms = (value: number | undefined): string => (value === undefined ? "—" : `${formatNumber(value)} ms`);
const mib = (value: number | undefined): string => (value === undefined ? "—" : `${formatNumber(value / MIB)} MiB`);

export function levelTable(entry: DensityEntry): TableSpec {
  return {
    header: HEADER,
    rows: entry.levels.map((level) => {
      const s = level.summary;
      return [
        String(level.vms),
        String(level.rounds.length),
        ms(s.bootMedianMs),
        ms(s.bootP95Ms),
        ms(s.allReadyMedianMs),
        ms(s.releaseSpreadMaxMs),
        mib(s.rssPerVmBytes),
        mib(s.pssPerVmBytes),
        mib(s.ussPerVmBytes),
        mib(s.hostMemoryPerVmBytes),
        `${s.failures} of ${s.vmsTotal}`,
      ];
    }),
    align: ["right", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right"],
    optional: [5, 8, 3, 1],
  };
}

function title(entry: DensityEntry): string {
  const accel = entry.accel ? ` (${entry.accel})` : "";
  return `${entry.target} on ${entry.vmm}${accel}`;
}

/** Under each table: what stopped the levels, the largest fully successful one, the first failures, the warnings. */
export function entryNotes(entry: DensityEntry): NoteGroup[] {
  const firstLine = (text: string | undefined): string => (text ?? "").split("\n")[0]!;
  const failures = entry.levels.flatMap((level) =>
    level.perVm.filter((vm) => vm.status !== "ok").map((vm) => `${level.vms} VMs, round ${vm.round}, VM ${vm.vm} (${vm.status}): ${firstLine(vm.error)}`),
  );
  return [
    { title: "Did not complete:", notes: entry.status === "ok" || entry.levels.length ? [] : [`${entry.status}: ${firstLine(entry.error)}`] },
    {
      title: "Levels:",
      notes: [
        ...(entry.largestFullLevel !== undefined ? [`largest level at which every VM booted: ${entry.largestFullLevel}`] : []),
        ...(entry.stopReason ? [`stopped: ${entry.stopReason}`] : []),
      ],
    },
    { title: "Failed VMs:", notes: failures.slice(0, 10).concat(failures.length > 10 ? [`... and ${failures.length - 10} more (--output json has them all)`] : []) },
    { title: "Warnings:", notes: entry.warnings },
  ];
}

function renderText(run: DensityRun, width: number): string {
  const blocks = run.results.map((entry) => `${title(entry)}\n${entry.levels.length ? formatTextTable(levelTable(entry), width) : ""}${formatNotes(entryNotes(entry), width)}`);
  const leftOut = formatNotes([{ title: "Left out:", notes: run.leftOut }], width);
  return blocks.join("\n") + leftOut;
}

function renderMarkdown(run: DensityRun): string {
  return run.results
    .map((entry) => {
      const notes = entryNotes(entry).filter((g) => g.notes.length);
      const table = entry.levels.length ? formatMarkdownTable(levelTable(entry)) : "";
      return `### ${title(entry)}\n\n${table}${notes.map((g) => `\n**${g.title}**\n\n${g.notes.map((n) => `- ${n}`).join("\n")}\n`).join("")}`;
    })
    .join("\n");
}

function renderCsv(run: DensityRun): string {
  const header = ["target", "vmm", "accel", "vms", "rounds", "boot_median_ms", "boot_p95_ms", "all_ready_median_ms", "release_spread_max_ms", "rss_per_vm_bytes", "pss_per_vm_bytes", "uss_per_vm_bytes", "host_memory_per_vm_bytes", "failures", "vms_total"];
  const rows = run.results.flatMap((entry) =>
    entry.levels.map((level) => {
      const s = level.summary;
      return [entry.target, entry.vmm, entry.accel, level.vms, level.rounds.length, s.bootMedianMs, s.bootP95Ms, s.allReadyMedianMs, s.releaseSpreadMaxMs, s.rssPerVmBytes, s.pssPerVmBytes, s.ussPerVmBytes, s.hostMemoryPerVmBytes, s.failures, s.vmsTotal];
    }),
  );
  return toCsv(header, rows);
}

export const DENSITY_EXPORTERS: Exporters<DensityRun> = {
  table: { render: (run, options = {}) => renderText(run, options.width ?? Number.POSITIVE_INFINITY) },
  json: jsonExporter,
  csv: { render: renderCsv },
  markdown: { render: renderMarkdown },
};
