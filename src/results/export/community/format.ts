// The --output formats: each turns the finished reports into the text for stdout.
import type { CommunityReport } from "../../../vocabulary/community-report.js";
import { formatCsv } from "./csv.js";
import type { OutputFormat } from "./format-names.js";
import { formatJson } from "./json.js";
import { formatTable } from "./table.js";

export type CommunityFormatter = (reports: CommunityReport[]) => string;

export const OUTPUT_FORMATS: Record<OutputFormat, CommunityFormatter> = { json: formatJson, table: formatTable, csv: formatCsv };
