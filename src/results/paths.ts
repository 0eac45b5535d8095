// Where results are kept unless --results-dir says otherwise. Every subcommand
// that reads or writes results uses this same default.
import path from "node:path";

export const DEFAULT_RESULTS_DIR = "results";

export function resolveResultsDir(option: string | undefined): string {
  return path.resolve(option ?? DEFAULT_RESULTS_DIR);
}
