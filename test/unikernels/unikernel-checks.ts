// What the unikernel tests read off a CLI run and a recipe, the same way for
// every unikernel: the build's layer-cache line, the steps Docker never
// caches, the seed's lines, the bytes a guest boots from.
import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { expect } from "vitest";
import type { RunEntry } from "../../src/results/schema.js";
import { PROJECT_ROOT } from "../paths.js";

/** The original tool's lines, one of each per measured iteration. */
export const SEED_LINES: readonly RegExp[] = [
  /INFO\[[^\]]+\] Unikernel booted, waiting for execution to end\.\.\./g,
  /INFO\[[^\]]+\] Time to run: \d+\.\d\dms/g,
  /INFO\[[^\]]+\] Time to boot: \d+\.\d\dms/g,
  /INFO\[[^\]]+\] Image size: \d+\.\d\dMiB/g,
  /INFO\[[^\]]+\] Total memory usage: \d+\.\d\dMiB/g,
];

/** "Built osv-qemu (...) in 1.2 s, 13 of 15 step(s) from the layer cache" -> [13, 15]. */
export function cacheSteps(stderr: string, image: string): [number, number] {
  const match = new RegExp(`Built ${image} \\(sha256:[0-9a-f]+\\) in [\\d.]+ s, (\\d+) of (\\d+) step\\(s\\) from the layer cache`).exec(stderr);
  expect(match, `no build line for ${image}`).not.toBeNull();
  return [Number(match![1]), Number(match![2])];
}

/** Steps of a recipe that Docker never reports as cached: FROM, and ARGs before the first FROM. */
export function layerlessSteps(unikernel: string, vmm: string): number {
  const dockerfile = DockerfileParser.parse(readFileSync(path.join(PROJECT_ROOT, `unikernels/${unikernel}/${vmm}/${unikernel}.Dockerfile`), "utf8"));
  return dockerfile.getFROMs().length + dockerfile.getInitialARGs().length;
}

/** The bytes of the files an entry's guest boots from, as they are on disk. */
export async function bootedBytes(image: NonNullable<RunEntry["image"]>): Promise<number> {
  let bytes = 0;
  for (const file of image.files) bytes += (await stat(file.path)).size;
  return bytes;
}
