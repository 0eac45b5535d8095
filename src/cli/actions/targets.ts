// What `benchmark-tool targets` does (src/cli/targets.ts defines its options).
import { formatNotes, formatTextTable, notesByReason, outputWidth } from "../../output/text-table.js";
import { createCatalog } from "../../performance/catalog.js";
import { KvmVerdicts } from "../../performance/kvm/kvm-verdicts.js";
import { kvmUsable } from "../../performance/vmm/accel.js";
import { resolveCacheDir } from "../cache-dir.js";
import type { TargetsOptions } from "../targets.js";

interface TargetRow {
  unikernel: string;
  repository: string;
  vmm: string;
  workloads: string[];
  runnable: boolean;
  /** What --accel auto runs it under, as far as is known. */
  accel: "kvm" | "tcg" | null;
  reason?: string;
  /** The verdict of the newest KVM trial on this host and kernel, when one was made. */
  kvmTrial?: { kvmWorks: boolean; reason?: string; triedAt: string };
}

function trialCell(row: TargetRow, kvmTried: boolean): string {
  if (!row.kvmTrial) return kvmTried ? "not made yet" : "";
  return `${row.kvmTrial.kvmWorks ? "works" : "fails"} (${row.kvmTrial.triedAt.slice(0, 10)})`;
}

export async function printTargets(options: TargetsOptions): Promise<void> {
  const verdicts = new KvmVerdicts(resolveCacheDir(options.cacheDir));
  const rows = await listTargets(verdicts);
  if (options.output === "json") {
    process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
    return;
  }
  const width = outputWidth();
  const kvmTried = (await kvmUsable()).usable;
  const table = formatTextTable(
    {
      header: ["Unikernel", "Repository", "VMM", "Workloads", "Can run", "KVM trial"],
      rows: rows.map((r) => [r.unikernel, r.repository, r.vmm, r.workloads.join(","), r.runnable ? `yes (${r.accel})` : "no (see below)", r.runnable ? trialCell(r, kvmTried) : ""]),
      optional: [1, 3],
    },
    width,
  );
  const notAvailable = notesByReason(rows.flatMap((r) => (r.reason ? [{ subject: `${r.unikernel} on ${r.vmm}`, reason: r.reason }] : [])));
  const kvmFails = rows.flatMap((r) => (r.kvmTrial && !r.kvmTrial.kvmWorks ? [`${r.unikernel} on ${r.vmm}: ${r.kvmTrial.reason ?? "it failed"} (${r.kvmTrial.triedAt})`] : []));
  process.stdout.write(
    table +
      formatNotes(
        [
          { title: "Not available here:", notes: notAvailable },
          { title: `KVM cannot run these here, as the KVM trial found; --accel auto runs them under TCG (delete ${verdicts.file} to try again):`, notes: kvmFails },
        ],
        width,
      ),
  );
}

async function listTargets(verdicts: KvmVerdicts): Promise<TargetRow[]> {
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
      // The trial is made where auto could fall back to TCG: KVM usable, and a VMM that has TCG.
      const trialed = kvm.usable && reasons.length === 0 && (!backend?.accels || backend.accels.includes("tcg"));
      const verdict = trialed ? await verdicts.latest(unikernelName, vmm) : undefined;
      rows.push({
        unikernel: unikernelName,
        repository,
        vmm,
        workloads: builder ? [...builder.workloads] : [],
        runnable: reasons.length === 0,
        accel: reasons.length === 0 ? (kvm.usable && verdict?.kvmWorks !== false ? "kvm" : "tcg") : null,
        ...(reasons.length ? { reason: reasons.join("; ") } : {}),
        ...(verdict ? { kvmTrial: { kvmWorks: verdict.kvmWorks, ...(verdict.reason ? { reason: verdict.reason } : {}), triedAt: verdict.triedAt } } : {}),
      });
    }
    for (const [vmm, why] of Object.entries(unsupportedVMMs ?? {})) {
      rows.push({ unikernel: unikernelName, repository, vmm, workloads: [], runnable: false, accel: null, reason: `not supported: ${why}` });
    }
  }
  return rows;
}
