// What the unikernel tests read off a CLI run and a recipe, the same way for
// every unikernel: the build's layer-cache line, the steps Docker never
// caches, the seed's lines, the bytes a guest boots from, and a run on the
// Firecracker stand-in with the API requests it sent.
import { readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { expect } from "vitest";
import { PerformanceRunSchema, type RunEntry } from "../../src/results/schema.js";
import { runCli } from "../helpers/cli.js";
import { standInKvmEnv } from "../helpers/standin-kvm.js";
import { PROJECT_ROOT, TEST_CACHE_DIR } from "../paths.js";

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

/** One API request the Firecracker stand-in received, with its verdict against the specification. */
export interface RecordedFirecrackerRequest {
  method: string;
  path: string;
  body: Record<string, unknown>;
  ok: boolean;
  errors: string[];
}

const FAKE_FIRECRACKER = path.join(PROJECT_ROOT, "test/firecracker/fake-firecracker.mjs");

/**
 * Builds `<unikernel>:firecracker` and runs it once on the spec-validating
 * stand-in (results and the request record in `scratch`). Checks what holds
 * for every recipe: the run succeeds, every API request is valid against
 * Firecracker's specification, and the boot source is the image's kernel.
 */
export async function runOnFirecrackerStandin(
  unikernel: string,
  scratch: string,
  mirrorArgs: readonly string[],
): Promise<{ entry: RunEntry; requests: RecordedFirecrackerRequest[]; bootSource: RecordedFirecrackerRequest; drives: RecordedFirecrackerRequest[] }> {
  const recordFile = path.join(scratch, "requests.jsonl");
  const cli = await runCli(
    [
      "performance", `${unikernel}:firecracker`, "--firecracker-bin", FAKE_FIRECRACKER, "-n", "1", "-w", "0", "--output", "json",
      "--results-dir", path.join(scratch, "results"), "--cache-dir", TEST_CACHE_DIR, ...mirrorArgs,
    ],
    { FAKE_FC_RECORD: recordFile, ...(await standInKvmEnv(scratch)) },
  );
  expect(cli.code, cli.stderr.split("\n").slice(-40).join("\n")).toBe(0);
  const entry = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
  expect(entry).toMatchObject({ target: unikernel, vmm: "firecracker", status: "ok" });
  const requests = readFileSync(recordFile, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as RecordedFirecrackerRequest);
  expect(requests.filter((r) => !r.ok)).toEqual([]);
  const bootSource = requests.find((r) => r.path === "/boot-source")!;
  expect(bootSource.body.kernel_image_path).toBe(entry.image!.files.find((f) => f.role === "kernel")!.path);
  return { entry, requests, bootSource, drives: requests.filter((r) => r.path.startsWith("/drives/")) };
}
