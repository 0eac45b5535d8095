// Everything `performance` can run: the registry, how each unikernel is
// built, and the VMM backends, by name.
import type { Catalog } from "./plan.js";
import { SupportedUnikernels } from "./supported.js";
import { dockerTargetBuilders } from "./targets/docker/docker-target.js";
import { linuxGuest } from "./targets/local/linux-guest.js";
import { nullGuest } from "./targets/local/null-guest.js";
import type { TargetBuilder } from "./targets/types.js";
import { FirecrackerBackend } from "./vmm/firecracker/firecracker-backend.js";
import { QemuBackend } from "./vmm/qemu/qemu-backend.js";
import type { VmmBackend } from "./vmm/types.js";

export interface CatalogOptions {
  /** --firecracker-bin */
  firecrackerBinary?: string;
}

export function createCatalog(options: CatalogOptions = {}): Catalog {
  const builders: TargetBuilder[] = [
    // guests/null writes the boot-timer byte at the address its boot_timer= argument gives (guests/null/main.c).
    withBootTimerArg(nullGuest, (address) => `boot_timer=${address}`),
    linuxGuest,
    ...dockerTargetBuilders(SupportedUnikernels),
  ];
  const backends: VmmBackend[] = [
    new QemuBackend("qemu", "pc"),
    new QemuBackend("qemu-microvm", "microvm"),
    new FirecrackerBackend(options.firecrackerBinary ? { binary: options.firecrackerBinary } : {}),
  ];
  return {
    registry: SupportedUnikernels,
    builders: new Map(builders.map((b) => [b.name, b])),
    backends: new Map(backends.map((b) => [b.name, b])),
  };
}

/** The same builder, its artifacts declaring how the guest is told where a VMM's boot-timer device is. */
function withBootTimerArg(builder: TargetBuilder, bootTimerArg: (address: string) => string): TargetBuilder {
  return {
    name: builder.name,
    workloads: builder.workloads,
    checkAvailable: () => builder.checkAvailable(),
    build: async (request) => ({ ...(await builder.build(request)), bootTimerArg }),
  };
}
