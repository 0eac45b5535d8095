// CSV for every export of the tool (RFC 4180 quoting, through csv-stringify).
import { stringify } from "csv-stringify/sync";

export type Cell = string | number | boolean | null | undefined;

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return stringify([header as Cell[], ...(rows as Cell[][])], { cast: { boolean: (b) => String(b) } });
}
