// `benchmark-tool history`: the stored runs, newest first, one line each, with
// the host each was measured on and its labels; from the results directory or
// a shared MySQL server.
import { Command, InvalidArgumentError, Option } from "../vendor/commander.js";
import { collectLabel, nonEmpty, wholeNumber } from "./option-parsers.js";
import { addRunSourceOptions, type RunSourceOptions } from "./run-source-options.js";

export interface HistoryOptions extends RunSourceOptions {
  kind?: "performance" | "community" | "density";
  target?: string;
  vmm?: string;
  host?: string;
  label?: string[];
  since?: string;
  limit?: number;
  output: "table" | "json";
}

/** More runs than any store holds; a bound so that the number stays exact. */
const MAX_LIMIT = 1_000_000;

const DURATION_UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** --since: an ISO 8601 date or date-time, or a duration back from now (30m, 12h, 7d, 2w); as an ISO instant. */
export function parseSince(value: string, now = new Date()): string {
  const duration = /^(\d+)([mhdw])$/.exec(value);
  if (duration) return new Date(now.getTime() - Number(duration[1]) * DURATION_UNITS_MS[duration[2]!]!).toISOString();
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const instant = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (!Number.isNaN(instant.getTime())) return instant.toISOString();
  }
  throw new InvalidArgumentError("give a date (2026-11-26), a date and time (2026-11-26T15:00:00Z), or a duration back from now (30m, 12h, 7d, 2w).");
}

export function registerHistoryCommand(program: Command): void {
  const command = program
    .command("history")
    .description("List the stored performance, density and community runs, newest first, with their host and labels.")
    .addOption(new Option("--kind <kind>", "only runs of this kind").choices(["performance", "community", "density"]))
    .option("--target <name>", "only runs that measured this target (e.g. null, osv)", nonEmpty)
    .option("--vmm <name>", "only runs that used this VMM (with --target: that target on this VMM)", nonEmpty)
    .option("--host <text>", "only runs whose host name or CPU model contains this text (any case)", nonEmpty)
    .option("--label <text>", "only runs with this label (repeatable: all of them)", collectLabel)
    .option("--since <when>", "only runs started since: a date, a date and time, or 30m, 12h, 7d, 2w back", (value: string) => parseSince(value))
    .option("--limit <n>", `only the newest n runs (1 to ${MAX_LIMIT})`, wholeNumber(1, MAX_LIMIT))
    .addOption(new Option("--output <format>", "table or json").choices(["table", "json"]).default("table"));
  addRunSourceOptions(command).action(async (options: HistoryOptions) => (await import("./actions/history.js")).listHistory(options));
}

