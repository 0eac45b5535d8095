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
    nullGuest,
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
