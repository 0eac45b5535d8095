// One iteration's request with test defaults: 64 MiB, one vCPU, a 10 s
// timeout, silent logs; `bootArgs` replaces the target's own.
import { silentLogger } from "../../src/log/logger.js";
import type { IterationRequest } from "../../src/performance/iteration.js";
import type { MemoryMonitor } from "../../src/performance/measure/memory-monitor.js";
import type { BootArtifacts } from "../../src/performance/targets/types.js";
import type { Accel, VmmBackend } from "../../src/performance/vmm/types.js";

export interface IterationFixture {
  backend: VmmBackend;
  artifacts: BootArtifacts;
  monitor: MemoryMonitor;
  accel: Accel;
}

export function iterationRequest(fixture: IterationFixture, overrides: Partial<IterationRequest> & { bootArgs?: string } = {}): IterationRequest {
  const { bootArgs, ...rest } = overrides;
  return {
    backend: fixture.backend,
    launch: { artifacts: fixture.artifacts, bootArgs: bootArgs ?? fixture.artifacts.bootArgs, memoryMiB: 64, vcpus: 1, accel: fixture.accel },
    readyMarker: fixture.artifacts.readyMarker,
    timeoutMs: 10_000,
    monitor: fixture.monitor,
    log: silentLogger,
    ...rest,
  };
}
