// Turns the targets and --vmm names a user typed into the list of
// (target, VMM) pairs to measure, or a usage error that lists what is valid.
import type { SupportedUnikernel } from "./supported.js";
import { parseTargetSpec } from "./targets/target-spec.js";
import type { TargetBuilder } from "./targets/types.js";
import type { Workload } from "../vocabulary/workloads.js";
import type { VmmBackend } from "./vmm/types.js";

export interface Catalog {
  registry: Record<string, SupportedUnikernel>;
  /** By unikernel name. */
  builders: ReadonlyMap<string, TargetBuilder>;
  /** By VMM name. */
  backends: ReadonlyMap<string, VmmBackend>;
}

/** One target on one VMM, to be measured. */
export interface PlanEntry {
  target: TargetBuilder;
  backend: VmmBackend;
  /** The registry's repository key, when the target has one. */
  repository?: string;
  /** Chosen by the tool, not named by the user: if it cannot run here, it is "unavailable", not an error. */
  implicit?: boolean;
}

export class PlanError extends Error {
  override readonly name = "PlanError";
}

export interface Plan {
  entries: PlanEntry[];
  /** Pairs left out of an implicit selection, and why (not errors). */
  leftOut: string[];
}

export function resolvePlan(specs: readonly string[], vmmFilter: readonly string[] | undefined, workload: Workload, catalog: Catalog): Plan {
  const unikernels = Object.entries(catalog.registry);
  const knownVmms = [...new Set(unikernels.flatMap(([, u]) => u.supportedVMMs))];
  for (const [k, vmm] of (vmmFilter ?? []).entries()) {
    if (!knownVmms.includes(vmm)) throw new PlanError(`unknown VMM '${vmm}'; valid VMMs: ${knownVmms.join(", ")}`);
    if (vmmFilter!.indexOf(vmm) !== k) throw new PlanError(`--vmm names '${vmm}' twice; name each VMM once`);
  }

  // explicit: the user named the target; vmmNamed: and its VMM (target:vmm).
  type Wanted = { input?: string; repository: string; unikernel: SupportedUnikernel; vmms: string[]; explicit: boolean; vmmNamed: boolean };
  const wanted: Wanted[] = [];
  if (specs.length === 0) {
    for (const [repository, unikernel] of unikernels) wanted.push({ repository, unikernel, vmms: unikernel.supportedVMMs, explicit: false, vmmNamed: false });
  }
  for (const input of specs) {
    let spec;
    try {
      spec = parseTargetSpec(input);
    } catch (error) {
      throw new PlanError((error as Error).message);
    }
    const found = spec.isRepository
      ? unikernels.find(([repository]) => repository.toLowerCase() === spec.name.toLowerCase())
      : unikernels.find(([, u]) => u.unikernelName === spec.name);
    if (!found) {
      const valid = unikernels.map(([repository, u]) => `${u.unikernelName} (${repository})`).join(", ");
      throw new PlanError(`unknown target '${input}'; valid targets: ${valid}`);
    }
    const [repository, unikernel] = found;
    if (spec.vmm && !unikernel.supportedVMMs.includes(spec.vmm)) {
      const why = unikernel.unsupportedVMMs?.[spec.vmm];
      throw new PlanError(`${unikernel.unikernelName} does not support VMM '${spec.vmm}'${why ? ` (${why})` : ""}; it supports: ${unikernel.supportedVMMs.join(", ")}`);
    }
    wanted.push({ input, repository, unikernel, vmms: spec.vmm ? [spec.vmm] : unikernel.supportedVMMs, explicit: true, vmmNamed: Boolean(spec.vmm) });
  }

  const entries: PlanEntry[] = [];
  const leftOut: string[] = [];
  const namedBy = new Map<string, string>();
  for (const { input, repository, unikernel, vmms, explicit, vmmNamed } of wanted) {
    const name = unikernel.unikernelName;
    const builder = catalog.builders.get(name);
    if (!builder) throw new PlanError(`${name} is in the registry but the tool has no way to build it`);
    if (!builder.workloads.includes(workload)) {
      const because = builder.unsupportedWorkloads?.[workload];
      const why = because
        ? `${name} is not available for the '${workload}' workload: ${because}`
        : `${name} runs only the ${builder.workloads.join(", ")} workload(s), not '${workload}'`;
      if (explicit) throw new PlanError(why);
      leftOut.push(why);
      continue;
    }
    for (const vmm of vmms) {
      if (vmmFilter && !vmmFilter.includes(vmm)) continue;
      const backend = catalog.backends.get(vmm);
      if (!backend) {
        const why = `${name} on ${vmm}: this build of the tool has no ${vmm} backend`;
        if (explicit) throw new PlanError(why);
        leftOut.push(why);
        continue;
      }
      const pair = `${name}:${vmm}`;
      const earlier = namedBy.get(pair);
      if (earlier !== undefined) throw new PlanError(`${pair} is named twice ('${earlier}' and '${input}'); name each target once`);
      namedBy.set(pair, input ?? pair);
      // A pair the user did not name both parts of may turn out not to be available here; that is no error.
      const named = explicit && (vmmNamed || Boolean(vmmFilter));
      entries.push({ target: builder, backend, repository, ...(named ? {} : { implicit: true }) });
    }
  }
  if (entries.length === 0) {
    const onVmms = vmmFilter?.length ? ` on ${vmmFilter.join(", ")}` : "";
    throw new PlanError(`nothing to run: no selected target runs the '${workload}' workload${onVmms}`);
  }
  return { entries, leftOut };
}
