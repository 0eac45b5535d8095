// One round of one density level: N VMMs launched paused one after the other,
// released together, each timed to its ready marker and end, and the memory
// of all N read while every one of them is still up. One VM failing leaves the
// others measured; nothing outlives the round.
import { Deadline, InterruptedError } from "../iteration.js";
import { DensityVm, type DensityVmLaunch, type DensityVmRecord } from "./density-vm.js";
import { memAvailableBytes, readKsmState, type KsmState } from "./host-memory.js";
import { readProcessMemory } from "./process-memory.js";

export interface LevelRoundRequest extends DensityVmLaunch {
  vms: number;
  /** 1-based. */
  round: number;
}

export interface LevelRound {
  round: number;
  perVm: DensityVmRecord[];
  /** Between the first and the last boot signal sent. */
  releaseSpreadMs?: number;
  /** From the first boot signal to the last ready marker; absent unless every VM became ready. */
  allReadyMs?: number;
  memAvailableBeforeBytes: number;
  /** Read with every VMM of the round still up. */
  memAvailableWhileUpBytes?: number;
  ksm?: KsmState;
}

export async function runLevelRound(request: LevelRoundRequest): Promise<LevelRound> {
  const { signal } = request;
  if (signal?.aborted) throw new InterruptedError();
  const memAvailableBeforeBytes = await memAvailableBytes();
  const vms = Array.from({ length: request.vms }, (_, i) => new DensityVm(i, request));
  try {
    // One after the other: each VMM's start-up is its own, and paused guests cost no CPU meanwhile.
    for (const vm of vms) {
      if (signal?.aborted) break;
      await vm.launch();
    }
    if (signal?.aborted) throw new InterruptedError();
    // Every boot signal in one go: each send is taken on the clock as it leaves.
    await Promise.all(vms.map((vm) => vm.release()));
    const deadline = new Deadline(request.timeoutMs, signal);
    try {
      await Promise.all(vms.map((vm) => vm.awaitEnd(deadline)));
    } finally {
      deadline.dispose();
    }
    if (signal?.aborted) throw new InterruptedError();
    // All N are up now (QEMU outlives its guest until told to quit): their memory, and the host's.
    const [memories, memAvailableWhileUpBytes, ksm] = await Promise.all([
      Promise.all(vms.map((vm) => (vm.pid === undefined ? undefined : readProcessMemory(vm.pid)))),
      memAvailableBytes(),
      readKsmState(),
    ]);
    const starts = vms.flatMap((vm) => (vm.startNs === undefined ? [] : [vm.startNs]));
    const readies = vms.flatMap((vm) => (vm.readyNs === undefined ? [] : [vm.readyNs]));
    const first = starts.length ? starts.reduce((a, b) => (a < b ? a : b)) : undefined;
    const last = starts.length ? starts.reduce((a, b) => (a > b ? a : b)) : undefined;
    const allReady = readies.length === vms.length && first !== undefined ? readies.reduce((a, b) => (a > b ? a : b)) : undefined;
    return {
      round: request.round,
      perVm: vms.map((vm, i) => vm.record(request.round, memories[i])),
      ...(first !== undefined ? { releaseSpreadMs: Number(last! - first) / 1e6 } : {}),
      ...(allReady !== undefined ? { allReadyMs: Number(allReady - first!) / 1e6 } : {}),
      memAvailableBeforeBytes,
      memAvailableWhileUpBytes,
      ...(ksm ? { ksm } : {}),
    };
  } finally {
    await Promise.all(vms.map((vm) => vm.dispose()));
  }
}
