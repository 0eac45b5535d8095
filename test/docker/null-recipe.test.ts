// End to end through Docker: the FROM-scratch test recipe carrying the null
// guest is built through dockerode, its boot files extracted, and booted on
// QEMU by the real runner. Then the layer cache, --clear-cache, a failing
// build and a bad manifest. Everything created here is removed afterwards.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, silentLogger } from "../../src/log/logger.js";
import type { RunSettings } from "../../src/performance/run-settings.js";
import { runPlan } from "../../src/performance/runner/run-plan.js";
import { EXTRACT_LABEL } from "../../src/performance/targets/docker/artifact-extractor.js";
import { packBuildContext } from "../../src/performance/targets/docker/build-context.js";
import { DockerClient } from "../../src/performance/targets/docker/docker-client.js";
import { DockerTargetBuilder } from "../../src/performance/targets/docker/docker-target.js";
import { buildImage } from "../../src/performance/targets/docker/image-builder.js";
import { WORKLOADS_DIR } from "../../src/performance/targets/docker/paths.js";
import { buildNullGuest } from "../../src/performance/targets/local/null-guest.js";
import { QemuBackend } from "../../src/performance/vmm/qemu/qemu-backend.js";
import { TEST_CACHE_DIR } from "../paths.js";

const RECIPES = path.join(path.dirname(new URL(import.meta.url).pathname), "recipes");
const docker = new Docker();
/** This run's label on every image it builds (the test recipes take it as a build argument). */
const TEST_RUN = `null-recipe-${process.pid}-${Date.now()}`;
const TEST_RUN_ARGS = { BENCHMARK_TOOL_TEST_RUN: TEST_RUN };

describe("Docker recipe: the null guest FROM scratch", () => {
  let cacheDir: string;
  let nullElf: string;
  let builder: (name: string) => DockerTargetBuilder;

  beforeAll(async () => {
    const availability = await new DockerClient().checkAvailable();
    if (!availability.available) throw new Error(`these tests need Docker (scripts/setup.sh starts it): ${availability.reason}`);
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "bt-docker-"));
    nullElf = await buildNullGuest({ cacheDir: TEST_CACHE_DIR, log: silentLogger });
    builder = (name) =>
      new DockerTargetBuilder(name, { recipesRoot: RECIPES, workloads: ["hello"], extraFiles: [{ name: "null.elf", sourcePath: nullElf }], buildArgs: TEST_RUN_ARGS });
  });

  afterAll(async () => {
    // Every image this run built, tagged or intermediate (the test recipes
    // label their layers with the run), newest first; never another run's, nor
    // any other build's, even while another run of these tests goes on.
    const created = (await docker.listImages({ all: true, filters: { label: [`benchmark-tool.test=${TEST_RUN}`] } })).sort((a, b) => b.Created - a.Created);
    for (const image of created) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
    await rm(cacheDir, { recursive: true, force: true });
  });

  async function extractionContainers(): Promise<string[]> {
    const containers = await docker.listContainers({ all: true, filters: { label: [`${EXTRACT_LABEL}=1`] } });
    return containers.map((c) => c.Id);
  }

  it("builds, extracts and boots on QEMU through the runner: boot < run, image size = the extracted kernel", async () => {
    const settings: RunSettings = { iterations: 2, warmup: 0, accel: "tcg", vcpus: 1, workload: "hello", timeoutMs: 60_000, cacheDir };
    const [result] = await runPlan([{ target: builder("null"), backend: new QemuBackend("qemu", "pc") }], settings, silentLogger);
    expect(result!.status, result!.error).toBe("ok");
    expect(result!.bootArgs).toBe("exit=acpi");
    expect(result!.iterations).toHaveLength(2);
    for (const iteration of result!.iterations) {
      expect(iteration.bootNs).toBeGreaterThan(0);
      expect(iteration.bootNs).toBeLessThan(iteration.runNs);
      expect(iteration.guestEndReason).toBe("guest-shutdown");
    }
    const kernel = result!.image!.files.find((f) => f.role === "kernel")!;
    expect(kernel.path.startsWith(path.join(cacheDir, "docker") + path.sep)).toBe(true);
    expect(result!.image!.sizeBytes).toBe((await stat(kernel.path)).size);
    expect(await readFile(kernel.path)).toEqual(await readFile(nullElf));
    expect(await extractionContainers()).toEqual([]);
  });

  it("hits the layer cache on a second build; --clear-cache rebuilds every step", async () => {

    const build = async (noCache: boolean) =>
      buildImage(docker, {
        context: await packBuildContext({ recipeDir: path.join(RECIPES, "null/qemu"), workloadsDir: WORKLOADS_DIR, extraFiles: [{ name: "null.elf", sourcePath: nullElf }] }),
        dockerfile: "null.Dockerfile",
        tag: "null-qemu",
        buildArgs: TEST_RUN_ARGS,
        description: "null for qemu",
        noCache,
        log: silentLogger,
      });
    const cold = await build(true);
    const cached = await build(false);
    const cleared = await build(true);
    // Five steps: FROM scratch (never a layer), ARG, LABEL and two COPYs.
    expect([cold.steps, cold.cachedSteps]).toEqual([5, 0]);
    expect([cached.steps, cached.cachedSteps]).toEqual([5, 4]);
    expect(cached.imageId).toBe(cold.imageId);
    expect([cleared.steps, cleared.cachedSteps]).toEqual([5, 0]);
    // Built by another run (another label), the same recipe is another image: one run's clean-up cannot take another's.
    const otherLabel = `${TEST_RUN}-other`;
    const otherRun = await buildImage(docker, {
      context: await packBuildContext({ recipeDir: path.join(RECIPES, "null/qemu"), workloadsDir: WORKLOADS_DIR, extraFiles: [{ name: "null.elf", sourcePath: nullElf }] }),
      dockerfile: "null.Dockerfile",
      tag: `benchmark-tool-test/${otherLabel}`,
      buildArgs: { BENCHMARK_TOOL_TEST_RUN: otherLabel },
      description: "null for qemu, as another run",
      log: silentLogger,
    });
    expect(otherRun.imageId).not.toBe(cached.imageId);
    const ofOtherRun = await docker.listImages({ all: true, filters: { label: [`benchmark-tool.test=${otherLabel}`] } });
    expect(ofOtherRun.map((i) => i.Id)).toContain(otherRun.imageId);
    expect(ofOtherRun.map((i) => i.Id)).not.toContain(cached.imageId);
    for (const image of ofOtherRun.sort((a, b) => b.Created - a.Created)) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
    console.log(`null-qemu build: ${cold.durationMs.toFixed(0)} ms without the cache, ${cached.durationMs.toFixed(0)} ms from it`);
  });

  it("threads clearCache from the request to the build, and says so", async () => {
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    await builder("null").build({ vmm: "qemu", workload: "hello", cacheDir, log, clearCache: true });
    expect(lines.join("\n")).toMatch(/Building null for qemu from .*null\.Dockerfile \(image null-qemu\) without the layer cache/);
    expect(lines.join("\n")).toMatch(/Built null-qemu \(sha256:[0-9a-f]{12}\) in \d+\.\d s, 0 of \d+ step\(s\) from the layer cache/);
  });

  it("shows a failing build's last log lines, and the other targets still run", async () => {
    const settings: RunSettings = { iterations: 1, warmup: 0, accel: "tcg", vcpus: 1, workload: "hello", timeoutMs: 60_000, cacheDir };
    const qemu = new QemuBackend("qemu", "pc");
    const [failing, ok] = await runPlan(
      [
        { target: builder("failing"), backend: qemu },
        { target: builder("null"), backend: qemu },
      ],
      settings,
      silentLogger,
    );
    expect(failing!.status).toBe("failed");
    expect(failing!.error).toMatch(/^Building failing for qemu from .*failing\.Dockerfile failed: COPY failed/);
    expect(failing!.error).toMatch(/Last \d+ line\(s\) of the build log:\nStep 1\/6 : FROM scratch\n/);
    expect(failing!.error).toMatch(/Step 5\/6 : COPY file-that-is-not-in-the-context \/nowhere/);
    expect(ok!.status).toBe("ok");
  });

  it("names the recipe and the field of an invalid manifest, and leaves no container or temporary directory", async () => {
    await expect(builder("bad-manifest").build({ vmm: "qemu", workload: "hello", cacheDir, log: silentLogger })).rejects.toThrow(
      /bad-manifest\/qemu\/bad-manifest\.Dockerfile: invalid \/benchmark\/manifest\.json: field "kernel": required, unless the disk boots itself through its own boot loader: name a kernel, or a disk/,
    );
    expect(await extractionContainers()).toEqual([]);
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(path.join(cacheDir, "docker"))).filter((name) => name.includes(".tmp-"))).toEqual([]);
  });

  it("says which recipe is missing for a VMM without one", async () => {
    await expect(builder("null").build({ vmm: "firecracker", workload: "hello", cacheDir, log: silentLogger })).rejects.toThrow(
      /null has no recipe for firecracker: .*null\/firecracker\/null\.Dockerfile does not exist/,
    );
  });
});
