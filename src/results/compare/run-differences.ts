// What differs between the hosts and configurations of two runs, so that
// compare can say when a change may come from the machine or the settings
// rather than from the unikernel or VMM under test. Host names are left out on
// purpose: CI runners of one kind get a new name every time and are still
// comparable; their CPU, kernel and VMM are what matter.
import type { PerformanceRun, RunEntry } from "../schema.js";

export interface RunDifference {
  /** What differs, e.g. "CPU model" or "accelerator (null on qemu)". */
  what: string;
  a: string;
  b: string;
}

const PAIR_ATTRIBUTES: Array<{ what: (entry: RunEntry) => string; value: (entry: RunEntry) => string | number | undefined }> = [
  { what: () => "accelerator", value: (e) => e.accel },
  { what: (e) => (e.vmm.startsWith("qemu") ? "QEMU version" : `${e.vmm} version`), value: (e) => e.vmmVersion },
  { what: () => "guest memory (MiB)", value: (e) => e.memoryMiB },
  { what: () => "vCPUs", value: (e) => e.vcpus },
];

const shown = (value: string | number | undefined): string => (value === undefined ? "unknown" : String(value));

export function runDifferences(a: PerformanceRun, b: PerformanceRun): RunDifference[] {
  const differences: RunDifference[] = [];
  const runWide: Array<[string, string | number, string | number]> = [
    ["CPU model", a.host.cpuModel, b.host.cpuModel],
    ["CPU cores", a.host.cores, b.host.cores],
    ["host kernel", a.host.kernel, b.host.kernel],
    ["workload", a.config.workload, b.config.workload],
  ];
  for (const [what, valueA, valueB] of runWide) {
    if (valueA !== valueB) differences.push({ what, a: shown(valueA), b: shown(valueB) });
  }
  const pairs = a.results.flatMap((entryA) => {
    const entryB = b.results.find((e) => e.target === entryA.target && e.vmm === entryA.vmm && e.status === "ok");
    return entryA.status === "ok" && entryB ? [[entryA, entryB] as const] : [];
  });
  for (const attribute of PAIR_ATTRIBUTES) {
    // The same difference in every pair is said once; otherwise per pair.
    const byChange = new Map<string, { what: string; a: string; b: string; pairs: string[] }>();
    for (const [entryA, entryB] of pairs) {
      const [valueA, valueB] = [shown(attribute.value(entryA)), shown(attribute.value(entryB))];
      if (valueA === valueB) continue;
      const what = attribute.what(entryA);
      const key = `${what}\n${valueA}\n${valueB}`;
      const group = byChange.get(key) ?? { what, a: valueA, b: valueB, pairs: [] };
      group.pairs.push(`${entryA.target} on ${entryA.vmm}`);
      byChange.set(key, group);
    }
    for (const group of byChange.values()) {
      const everywhere = group.pairs.length === pairs.filter(([entryA]) => attribute.what(entryA) === group.what).length;
      differences.push({ what: everywhere ? group.what : `${group.what} (${group.pairs.join(", ")})`, a: group.a, b: group.b });
    }
  }
  return differences;
}

/** One sentence for a warning, or undefined when nothing differs. */
export function describeDifferences(differences: readonly RunDifference[]): string | undefined {
  if (differences.length === 0) return undefined;
  const parts = differences.map((d) => `${d.what} (A: ${d.a}; B: ${d.b})`);
  return `A and B were measured on different hosts or configurations: ${parts.join(", ")}. Part of any change may come from these rather than from what was changed.`;
}
