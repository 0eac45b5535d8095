// One interface for every format a performance run can be written in.
import type { PerformanceRun } from "../schema.js";

export interface Exporter {
  render(run: PerformanceRun): string;
}
