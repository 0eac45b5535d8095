// What a user meets when a recipe cannot be built: a source missing from the
// mirror, a tag that moved upstream, a base image that is neither on the
// machine nor pullable. Each fails its target with an error naming the recipe
// and what to do; the other targets are still measured; nothing is left behind.
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import type { RunSettings } from "../../src/performance/run-settings.js";
import { runPlan } from "../../src/performance/runner/run-plan.js";
import { EXTRACT_LABEL } from "../../src/performance/targets/docker/artifact-extractor.js";
import { DockerTargetBuilder } from "../../src/performance/targets/docker/docker-target.js";
import { nullGuest } from "../../src/performance/targets/local/null-guest.js";
import { QemuBackend } from "../../src/performance/vmm/qemu/qemu-backend.js";
import { PerformanceRunSchema } from "../../src/results/schema.js";
import { runCli } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { SOURCES_MIRROR } from "../paths.js";

const docker = new Docker();

async function writeRecipe(root: string, name: string, dockerfile: string, sources?: object): Promise<void> {
  await mkdir(path.join(root, name, "qemu"), { recursive: true });
  await writeFile(path.join(root, name, "qemu", `${name}.Dockerfile`), dockerfile);
  if (sources) await writeFile(path.join(root, name, "sources.json"), JSON.stringify({ sources: [sources] }));
}

describe("recipes that cannot be built", () => {
  let scratch: string;
  let recipesRoot: string;
  let emptyMirror: string;
  let cacheDir: string;
  let privateTmp: string;
  const savedTmpdir = process.env.TMPDIR;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), "bt-recipe-faults-"));
    recipesRoot = path.join(scratch, "unikernels");
    emptyMirror = path.join(scratch, "empty-mirror");
    cacheDir = path.join(scratch, "cache");
    privateTmp = path.join(scratch, "tmp");
    await Promise.all([mkdir(emptyMirror, { recursive: true }), mkdir(privateTmp), mkdir(cacheDir)]);
    await writeRecipe(recipesRoot, "movedtag", "# Test recipe\nFROM scratch\nADD sources/unikraft.tar /src\n", {
      name: "unikraft",
      git: "https://github.com/unikraft/unikraft.git",
      tag: "RELEASE-0.17.0",
      commit: "1".repeat(40),
    });
    await writeRecipe(recipesRoot, "nobase", "# Test recipe\nARG BASE_IMAGE=registry.invalid/benchmark-tool/none:1.0\nFROM ${BASE_IMAGE}\nRUN true\n");
    await writeRecipe(recipesRoot, "literalbase", "# Test recipe\nFROM debian:11.9\nRUN true\n");
    await writeRecipe(recipesRoot, "failingrun", "# Test recipe\nARG DEBIAN_IMAGE=debian:12.5\nFROM ${DEBIAN_IMAGE}\nRUN echo building && exit 3\n");
    // The iterations' private directories go here, to be checked.
    process.env.TMPDIR = privateTmp;
  });

  afterAll(async () => {
    if (savedTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpdir;
    await rm(scratch, { recursive: true, force: true });
  });

  it("fails each with what was wrong and what to do, measures the others, and leaves nothing behind", async () => {
    const settings: RunSettings = {
      iterations: 1, warmup: 0, accel: "tcg", vcpus: 1, workload: "hello", timeoutMs: 60_000, cacheDir,
      ...(SOURCES_MIRROR ? { sourcesMirror: SOURCES_MIRROR } : {}),
    };
    const qemu = new QemuBackend("qemu", "pc");
    const builder = (name: string) => new DockerTargetBuilder(name, { recipesRoot, workloads: ["hello"] });
    const results = await runPlan(
      [
        { target: builder("nobase"), backend: qemu },
        { target: builder("literalbase"), backend: qemu },
        { target: builder("failingrun"), backend: qemu },
        ...(SOURCES_MIRROR ? [{ target: builder("movedtag"), backend: qemu }] : []),
        { target: nullGuest, backend: qemu },
      ],
      settings,
      silentLogger,
    );
    const byName = new Map(results.map((r) => [r.target, r]));
    expect(byName.get("nobase")).toMatchObject({ status: "failed" });
    expect(byName.get("nobase")!.error).toMatch(
      /nobase\/qemu\/nobase\.Dockerfile: its base image registry\.invalid\/benchmark-tool\/none:1\.0 is not on this machine and could not be pulled \(.+\), and the tool can make only Debian bases itself\. Load the image \(docker load/,
    );
    expect(byName.get("literalbase")!.error).toMatch(
      /literalbase\.Dockerfile: its base image debian:11\.9 is not on this machine and could not be pulled \(.+\)\. Name it through an ARG \(ARG BASE_IMAGE=debian:11\.9, then FROM \$\{BASE_IMAGE\}\) so that the tool can build FROM benchmark-tool\/debian-debootstrap:bullseye instead/,
    );
    if (SOURCES_MIRROR) {
      expect(byName.get("movedtag")!.error).toMatch(
        /movedtag\/sources\.json: the tag RELEASE-0\.17\.0 of https:\/\/github\.com\/unikraft\/unikraft\.git points to 484ff209a5265bc4b2366041f149534922d0e5c8, not to the pinned commit 1{40}: the tag moved upstream\. Check what changed, then pin the new commit/,
      );
    }
    // A step that fails shows the build log's last lines; its container goes with it.
    expect(byName.get("failingrun")!.error).toMatch(/^Building failingrun for qemu from .*failingrun\.Dockerfile failed: The command '\/bin\/sh -c echo building && exit 3' returned a non-zero code: 3/);
    expect(byName.get("failingrun")!.error).toMatch(/Last \d+ line\(s\) of the build log:\n(.*\n)*building/);
    const leftContainers = await docker.listContainers({ all: true });
    expect(leftContainers.filter((c) => c.Command.includes("exit 3"))).toEqual([]);
    expect(byName.get("null")).toMatchObject({ status: "ok" });

    // No half-fetched checkout, no extraction container, no private directory, no VMM.
    const sources = await readdir(path.join(cacheDir, "sources")).catch(() => []);
    expect(sources.filter((name) => name.includes("checkout") || name.includes(".tmp-"))).toEqual([]);
    expect(await docker.listContainers({ all: true, filters: { label: [`${EXTRACT_LABEL}=1`] } })).toEqual([]);
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });

  it("through the CLI: a source the mirror lacks names the URL and the path expected; the other target is measured (exit 1)", async () => {
    const cli = await runCli(
      ["performance", "unikraft:qemu", "null:qemu", "--sources-mirror", emptyMirror, "--accel", "tcg", "-n", "1", "-w", "0", "--output", "json",
        "--results-dir", path.join(scratch, "results"), "--cache-dir", cacheDir],
      { TMPDIR: privateTmp },
    );
    expect(cli.code).toBe(1);
    const [unikraft, nullEntry] = PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results;
    expect(unikraft).toMatchObject({ target: "unikraft", status: "failed" });
    expect(unikraft!.error).toBe(
      `unikernels/unikraft/sources.json: https://github.com/unikraft/unikraft.git is not in the sources mirror ${emptyMirror}: ` +
        `expected a git repository at ${emptyMirror}/github.com/unikraft/unikraft.git. Add it there (laid out as <host>/<path> of the URL), ` +
        "or run without --sources-mirror (and BENCHMARK_TOOL_SOURCES_MIRROR) to fetch from upstream",
    );
    expect(nullEntry).toMatchObject({ target: "null", status: "ok" });
    expect(await readdir(privateTmp)).toEqual([]);
  });

  it("a mirror that does not exist is bad usage (exit 2), before anything is built", async () => {
    const missing = path.join(scratch, "no-such-mirror");
    const cli = await runCli(["performance", "unikraft:qemu", "--results-dir", path.join(scratch, "results")], { BENCHMARK_TOOL_SOURCES_MIRROR: missing });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(`error: the sources mirror ${missing} does not exist (--sources-mirror or $BENCHMARK_TOOL_SOURCES_MIRROR): give a directory laid out as <host>/<path> of each upstream URL`);
    expect(cli.stdout).toBe("");
  });
});
