// How a run measures: what the user asked for, resolved and checked, as the
// runner and density take it.
import type { Order } from "../vocabulary/orders.js";
import type { Workload } from "../vocabulary/workloads.js";
import type { ServingSettings } from "./runner/serving.js";
import type { AccelRequest } from "./vmm/accel.js";

/** Guest memory when neither the user (--memory) nor the target says otherwise. */
export const DEFAULT_MEMORY_MIB = 128;

export interface RunSettings {
  /** Measured iterations per pair: exactly, or at least with precisionPercent. */
  iterations: number;
  warmup: number;
  /** Default interleaved. */
  order?: Order;
  /** Seeds the interleaved order's shuffles; random when absent. */
  seed?: number;
  /** Measure each pair until the 95% CI of its median boot time is within ± this percentage of the median. */
  precisionPercent?: number;
  /** With precisionPercent: the most measured iterations a pair gets. */
  maxIterations?: number;
  /** Host CPUs the VMM processes run on (taskset list, e.g. "1" or "2-3"). */
  pinCpus?: string;
  accel: AccelRequest;
  /** Overrides the target's own memory size. */
  memoryMiB?: number;
  vcpus: number;
  /** QEMU -cpu model; the VMM's default when absent. */
  cpu?: string;
  workload: Workload;
  /** How a server guest is loaded (the http workload). */
  serving?: ServingSettings;
  timeoutMs: number;
  /** Appended to the target's boot arguments. */
  extraBootArgs?: string;
  /** Also record the VMM's own boot time (Firecracker's boot-timer device), where guest and VMM support it. */
  bootTimer?: boolean;
  cacheDir: string;
  /** Builds ignore their caches (--clear-cache). */
  clearCache?: boolean;
  /** Upstream sources come from this mirror (--sources-mirror), nothing from the network. */
  sourcesMirror?: string;
  sampleIntervalMs?: number;
}
