// What `benchmark-tool targets` does (src/cli/targets.ts defines its options).
import { formatNotes, formatTextTable, notesByReason, outputWidth } from "../../output/text-table.js";
import { createCatalog } from "../../performance/catalog.js";
import { kvmUsable } from "../../performance/vmm/accel.js";

interface TargetRow {
  unikernel: string;
  repository: string;
  vmm: string;
  workloads: string[];
  runnable: boolean;
  accel: "kvm" | "tcg" | null;
  reason?: string;
}

export async function printTargets(output: "table" | "json"): Promise<void> {
  const rows = await listTargets();
  if (output === "json") {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return;
  }
  const width = outputWidth();
  const table = formatTextTable(
    {
      header: ["Unikernel", "Repository", "VMM", "Workloads", "Can run"],
      rows: rows.map((r) => [r.unikernel, r.repository, r.vmm, r.workloads.join(","), r.runnable ? `yes (${r.accel})` : "no (see below)"]),
      optional: [1, 3],
    },
    width,
  );
  const notes = notesByReason(rows.flatMap((r) => (r.reason ? [{ subject: `${r.unikernel} on ${r.vmm}`, reason: r.reason }] : [])));
  process.stdout.write(table + formatNotes([{ title: "Not available here:", notes }], width));
}

async function listTargets(): Promise<TargetRow[]> {
  const catalog = createCatalog();
  const kvm = await kvmUsable();
  const rows: TargetRow[] = [];
  for (const [repository, { unikernelName, supportedVMMs, unsupportedVMMs }] of Object.entries(catalog.registry)) {
    const builder = catalog.builders.get(unikernelName);
    const targetAvailability = builder ? await builder.checkAvailable() : { available: false, reason: "the tool has no way to build it" };
    for (const vmm of supportedVMMs) {
      const backend = catalog.backends.get(vmm);
      const vmmAvailability = backend ? await backend.checkAvailable() : { available: false, reason: `this build of the tool has no ${vmm} backend` };
      const reasons = [vmmAvailability, targetAvailability].flatMap((a) => (a.available ? [] : [a.reason ?? "not available"]));
      rows.push({
        unikernel: unikernelName,
        repository,
        vmm,
        workloads: builder ? [...builder.workloads] : [],
        runnable: reasons.length === 0,
        accel: reasons.length === 0 ? (kvm.usable ? "kvm" : "tcg") : null,
        ...(reasons.length ? { reason: reasons.join("; ") } : {}),
      });
    }
    for (const [vmm, why] of Object.entries(unsupportedVMMs ?? {})) {
      rows.push({ unikernel: unikernelName, repository, vmm, workloads: [], runnable: false, accel: null, reason: `not supported: ${why}` });
    }
  }
  return rows;
}
