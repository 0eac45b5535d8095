// The boot phases of a target and VMM as summary rows (--phases). Apart from
// summary-rows.ts because the stored run has no summary of them: they are
// summarised here, which loads the statistics, only when asked for.
import { BOOT_PHASE_LABELS, BOOT_PHASES } from "../../vocabulary/boot-phases.js";
import { summarize } from "../../statistics/summary.js";
import type { PhaseRows } from "./exporter.js";

/** One row per boot phase, over the measured iterations that recorded phases (runs before them have none). */
export const phaseRows: PhaseRows = (entry) => {
  const phases = entry.iterations.flatMap((i) => (!i.warmup && i.phasesNs ? [i.phasesNs] : []));
  if (phases.length === 0) return [];
  return BOOT_PHASES.map((phase) => ({ metric: `Phase: ${BOOT_PHASE_LABELS[phase]}`, unit: "ms", summary: summarize(phases.map((p) => p[phase] / 1e6)) }));
};
