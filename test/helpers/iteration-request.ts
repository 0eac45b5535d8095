// One iteration's request with test defaults: 64 MiB, one vCPU, a 10 s
// timeout, silent logs, the target's ready marker on the console;
// `bootArgs` replaces the target's own, `readyMarker` its marker.
import { silentLogger } from "../../src/log/logger.js";
import type { MemoryMonitor } from "../../src/performance/measure/memory-monitor.js";
import { ConsoleMarkerProbe } from "../../src/performance/probes/console-marker-probe.js";
import type { IterationRequest } from "../../src/performance/runner/iteration.js";
import type { BootArtifacts } from "../../src/performance/targets/types.js";
import type { Accel, VmmBackend } from "../../src/performance/vmm/types.js";

export interface IterationFixture {
  backend: VmmBackend;
  artifacts: BootArtifacts;
  monitor: MemoryMonitor;
  accel: Accel;
}

export function iterationRequest(fixture: IterationFixture, overrides: Partial<IterationRequest> & { bootArgs?: string; readyMarker?: string } = {}): IterationRequest {
  const { bootArgs, readyMarker, ...rest } = overrides;
  return {
    backend: fixture.backend,
    launch: { artifacts: fixture.artifacts, bootArgs: bootArgs ?? fixture.artifacts.bootArgs, memoryMiB: 64, vcpus: 1, accel: fixture.accel },
    readiness: new ConsoleMarkerProbe(readyMarker ?? fixture.artifacts.readyMarker),
    timeoutMs: 10_000,
    monitor: fixture.monitor,
    log: silentLogger,
    ...rest,
  };
}
