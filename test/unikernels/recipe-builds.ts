// The unikernel recipes, built once per suite before their tests, two at a
// time: one lane per unikernel, its QEMU recipe first (its Firecracker recipe
// shares its slow layers, which must exist before it starts), the lanes side
// by side so that one's downloads, scripts and links overlap the other's
// compiles on two cores. The tests then run the CLI as users do, and find
// every recipe in Docker's layer cache.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, symlink } from "node:fs/promises";
import path from "node:path";
import { createLogger } from "../../src/log/logger.js";
import { SupportedUnikernels } from "../../src/performance/supported.js";
import { DockerTargetBuilder } from "../../src/performance/targets/docker/docker-target.js";
import { UNIKERNELS_DIR } from "../../src/performance/targets/docker/paths.js";
import type { Workload } from "../../src/vocabulary/workloads.js";

/** How many recipes build at once. */
const LANES = 2;

export interface RecipeBuild {
  recipe: string;
  seconds: number;
  /** "N of M step(s) from the layer cache", as the build logged it. */
  cache: string;
}

/**
 * Builds every recipe of every Docker-built unikernel for `workload`,
 * `LANES` unikernels at a time, and says how long each took.
 */
export async function buildEveryRecipe(options: { workload: Workload; cacheDir: string; sourcesMirror?: string }): Promise<RecipeBuild[]> {
  const lanes = Object.values(SupportedUnikernels)
    .filter((unikernel) => existsSync(path.join(UNIKERNELS_DIR, unikernel.unikernelName)))
    .map((unikernel) => ({
      builder: new DockerTargetBuilder(unikernel.unikernelName),
      // QEMU first: the other recipes of a unikernel build on its layers.
      vmms: [...unikernel.supportedVMMs].sort((a, b) => Number(b === "qemu") - Number(a === "qemu")),
    }));
  const builds: RecipeBuild[] = [];
  const queue = [...lanes];
  const runLane = async (): Promise<void> => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const vmm of lane.vmms) {
        const lines: string[] = [];
        const started = performance.now();
        await lane.builder.build({
          vmm,
          workload: options.workload,
          cacheDir: options.cacheDir,
          log: createLogger({ write: (line) => lines.push(line) }),
          ...(options.sourcesMirror ? { sourcesMirror: options.sourcesMirror } : {}),
        });
        const cache = /(\d+ of \d+ step\(s\) from the layer cache)/.exec(lines.join("\n"))?.[1] ?? "";
        builds.push({ recipe: `${lane.builder.name}/${vmm}`, seconds: (performance.now() - started) / 1000, cache });
      }
    }
  };
  await Promise.all(Array.from({ length: LANES }, runLane));
  return builds;
}

/**
 * A sources mirror at a new path under `parent`: links to each of `mirror`'s
 * hosts but those left out. Such a view holds the same repositories at another
 * path (the source tars must not change with it), and one without
 * www.musl-libc.org shows that no recipe needs that host.
 */
export async function mirrorView(mirror: string, parent: string, leftOut: readonly string[] = []): Promise<string> {
  const view = await mkdtemp(path.join(parent, "mirror-view-"));
  for (const entry of await readdir(mirror, { withFileTypes: true })) {
    if (entry.isDirectory() && !leftOut.includes(entry.name)) await symlink(path.join(mirror, entry.name), path.join(view, entry.name));
  }
  return view;
}
