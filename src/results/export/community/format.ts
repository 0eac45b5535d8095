// The --output formats: each turns the finished reports into the text for stdout.
import type { CommunityReport } from "../../../vocabulary/community-report.js";
import { formatCsv } from "./csv.js";
import { formatJson } from "./json.js";
import { formatTable } from "./table.js";

export type CommunityFormatter = (reports: CommunityReport[]) => string;

export const OUTPUT_FORMATS = { json: formatJson, table: formatTable, csv: formatCsv } satisfies Record<string, CommunityFormatter>;

export type OutputFormat = keyof typeof OUTPUT_FORMATS;

export function isOutputFormat(value: string): value is OutputFormat {
  return Object.hasOwn(OUTPUT_FORMATS, value);
}
