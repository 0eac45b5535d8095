// One round of one density level: N VMs launched paused one after the other,
// released together, each timed to its readiness and end, and the memory of
// all N read while every one of them is still up. One VM failing leaves the
// others measured; nothing outlives the round.
import type { Logger } from "../../log/logger.js";
import type { Nanoseconds } from "../../clock.js";
import type { ReadinessProbe } from "../probes/readiness-probe.js";
import { requestStop } from "../load/stop-request.js";
import { endedEarly } from "../runner/entry-status.js";
import { Deadline } from "../vm/deadline.js";
import { InterruptedError } from "../vm/interrupted-error.js";
import { Vm, type VmLaunch } from "../vm/vm.js";
import type { VmmBackend } from "../vmm/types.js";
import { memAvailableBytes, readKsmState } from "./host-memory.js";
import { readProcessMemory, type ProcessMemory } from "./process-memory.js";
import type { DensityVmRecord, LevelRound } from "./types.js";

export interface LevelRoundRequest {
  vms: number;
  /** 1-based. */
  round: number;
  backend: VmmBackend;
  launch: VmLaunch;
  /** A probe for each VM (one VM's probe may hold its own port). */
  readiness: (vm: number) => ReadinessProbe;
  /** The guests serve on this port (the http workload): each VM's is forwarded from its own host port, and each is asked to stop once ready. */
  servedPort?: number;
  /** Bounds each VMM's launch, then all the round's guests from their release to their end. */
  timeoutMs: number;
  log: Logger;
  signal?: AbortSignal;
}

/** One VM of the round: launched or not, and what went wrong with it. */
interface Slot {
  index: number;
  vm?: Vm;
  error?: unknown;
}

export async function runLevelRound(request: LevelRoundRequest): Promise<LevelRound> {
  const { signal } = request;
  if (signal?.aborted) throw new InterruptedError();
  const memAvailableBeforeBytes = await memAvailableBytes();
  const slots: Slot[] = Array.from({ length: request.vms }, (_, index) => ({ index }));
  try {
    // One after the other: each VMM's start-up is its own, and paused guests cost no CPU meanwhile.
    for (const slot of slots) {
      if (signal?.aborted) break;
      await launch(slot, request);
    }
    if (signal?.aborted) throw new InterruptedError();
    // Every boot signal in one go: each send is taken on the clock as it leaves.
    await Promise.all(slots.map((slot) => slot.vm?.start().catch((error: unknown) => (slot.error = error))));
    const deadline = new Deadline(request.timeoutMs, signal);
    try {
      await Promise.all(slots.map((slot) => awaitEnd(slot, deadline, request.servedPort !== undefined)));
    } finally {
      deadline.dispose();
    }
    if (signal?.aborted) throw new InterruptedError();
    // All N are up now (QEMU outlives its guest until told to quit): their memory, and the host's.
    const [memories, memAvailableWhileUpBytes, ksm] = await Promise.all([
      Promise.all(slots.map((slot) => (slot.vm ? readProcessMemory(slot.vm.pid) : undefined))),
      memAvailableBytes(),
      readKsmState(),
    ]);
    const starts = slots.flatMap((slot) => (slot.vm?.startNs === undefined ? [] : [slot.vm.startNs]));
    const readies = slots.flatMap((slot) => (slot.vm?.readyNs === undefined ? [] : [slot.vm.readyNs]));
    const first = starts.length ? starts.reduce(earliest) : undefined;
    const last = starts.length ? starts.reduce(latest) : undefined;
    const allReady = readies.length === slots.length && first !== undefined ? readies.reduce(latest) : undefined;
    return {
      round: request.round,
      perVm: slots.map((slot, i) => record(slot, request.round, memories[i])),
      ...(first !== undefined ? { releaseSpreadNs: Number(last! - first) } : {}),
      ...(allReady !== undefined ? { allReadyNs: Number(allReady - first!) } : {}),
      memAvailableBeforeBytes,
      memAvailableWhileUpBytes,
      ...(ksm ? { ksm } : {}),
    };
  } finally {
    await Promise.all(slots.map((slot) => release(slot, signal)));
  }
}

/** Starts the slot's VMM with the guest loaded, not running; a failure is kept as this VM's outcome. */
async function launch(slot: Slot, request: LevelRoundRequest): Promise<void> {
  const deadline = new Deadline(request.timeoutMs, request.signal);
  try {
    slot.vm = await Vm.launch(
      {
        backend: request.backend,
        launch: request.launch,
        readiness: request.readiness(slot.index),
        ...(request.servedPort !== undefined ? { servedPort: request.servedPort } : {}),
        log: request.log,
        name: `vm ${slot.index} `,
      },
      deadline,
    );
  } catch (error) {
    slot.error = error;
  } finally {
    deadline.dispose();
  }
}

/** Waits for the slot's guest to be ready and to end (a server once asked to stop), within the round's deadline. */
async function awaitEnd(slot: Slot, deadline: Deadline, serves: boolean): Promise<void> {
  const vm = slot.vm;
  if (!vm || vm.startNs === undefined || slot.error !== undefined) return;
  try {
    await vm.untilReady(deadline);
    if (serves) {
      const { host, port } = vm.service!;
      await deadline.race(requestStop({ host, port, signal: deadline.signal }), () => `the stop request http://${host}:${port}/quit was not answered`);
    }
    await vm.untilEnd(deadline);
  } catch (error) {
    slot.error = error;
  }
}

function record(slot: Slot, round: number, memory: ProcessMemory | undefined): DensityVmRecord {
  const vm = slot.vm;
  const since = (from: Nanoseconds | undefined, to: Nanoseconds | undefined): number | undefined =>
    from === undefined || to === undefined ? undefined : Number(to - from);
  const ok = slot.error === undefined && vm?.completed === true;
  const failure = slot.error === undefined ? undefined : endedEarly<{ status: string; error?: string }>({ status: "failed" }, slot.error);
  const bootNs = since(vm?.startNs, vm?.readyNs);
  const runNs = since(vm?.startNs, vm?.end?.atNs);
  return {
    round,
    vm: slot.index,
    status: ok ? "ok" : failure?.status === "interrupted" ? "interrupted" : "failed",
    ...(failure?.error !== undefined ? { error: failure.error } : {}),
    ...(vm ? { vmmStartupNs: Number(vm.startupNs) } : {}),
    ...(bootNs !== undefined ? { bootNs } : {}),
    ...(runNs !== undefined ? { runNs } : {}),
    ...(vm?.end ? { guestEndReason: vm.end.reason } : {}),
    ...(memory ?? {}),
  };
}

/** Ends the slot's VMM, gracefully when its guest completed and the user did not interrupt, and removes what it made. */
async function release(slot: Slot, signal: AbortSignal | undefined): Promise<void> {
  const vm = slot.vm;
  if (!vm) return;
  if (slot.error === undefined && vm.completed && !signal?.aborted) await vm.stop().catch(() => undefined);
  await vm.dispose();
}

const earliest = (a: Nanoseconds, b: Nanoseconds): Nanoseconds => (a < b ? a : b);
const latest = (a: Nanoseconds, b: Nanoseconds): Nanoseconds => (a > b ? a : b);
