// End to end, as a user runs it: the OSv and Unikraft recipes built through
// the real Docker engine from the pinned sources in the offline mirror
// (../shared/sources, seen without its www.musl-libc.org folder, which no
// recipe may need), booted on QEMU (machine pc) under TCG with both
// workloads, and measured; their Firecracker recipes built and their API
// requests checked on the stand-in. Every recipe is built once first, two at a
// time (recipe-builds.ts): OSv's kernel takes minutes; the download cache and
// Docker's layer cache keep every later build here fast.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerformanceRunSchema, type RunEntry } from "../../src/results/schema.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { buildEveryRecipe, mirrorView } from "./recipe-builds.js";
import { bootedBytes, cacheSteps, layerlessSteps, runOnFirecrackerStandin, SEED_LINES } from "./unikernel-checks.js";
import { SOURCES_MIRROR, TEST_CACHE_DIR } from "../paths.js";

/**
 * Cold builds of every recipe: about 20 minutes on two quiet cores (OSv's
 * kernel alone takes 6); far more where other work shares them. Only a hang
 * should reach it: CI stops at 90 minutes.
 */
const BUILD_TIMEOUT_MS = 80 * 60_000;

/** Where the builds here take their sources from (see mirrorView); upstream without a mirror. */
let mirror: string | undefined;
let scratchRoot: string;

beforeAll(async () => {
  scratchRoot = await mkdtemp(path.join(os.tmpdir(), "bt-unikernels-"));
  if (SOURCES_MIRROR) mirror = await mirrorView(SOURCES_MIRROR, scratchRoot, ["www.musl-libc.org"]);
  const builds = await buildEveryRecipe({ workload: "hello", cacheDir: TEST_CACHE_DIR, ...(mirror ? { sourcesMirror: mirror } : {}) });
  console.log(`Recipes built first, ${builds.length} in all, two at a time:\n${builds.map((b) => `  ${b.recipe}: ${b.seconds.toFixed(1)} s, ${b.cache}`).join("\n")}`);
}, BUILD_TIMEOUT_MS);

afterAll(() => rm(scratchRoot, { recursive: true, force: true }));

const mirrorArgs = (): string[] => (mirror ? ["--sources-mirror", mirror] : []);

interface Case {
  name: "unikraft" | "osv";
  /** What the guest prints on its console as it boots. */
  banner: RegExp;
  /** The boot files, by role. */
  roles: string[];
}

const CASES: Case[] = [
  { name: "unikraft", banner: /Calypso 0\.17\.0~484ff20/, roles: ["kernel"] },
  { name: "osv", banner: /OSv v0\.57\.0/, roles: ["kernel", "disk"] },
];

interface Measured {
  cli: CliResult;
  entry: RunEntry;
}

async function measure(
  target: string,
  workload: "hello" | "alloc",
  iterations: number,
  resultsDir: string,
  sources: { cacheDir: string; mirrorArgs: string[] } = { cacheDir: TEST_CACHE_DIR, mirrorArgs: mirrorArgs() },
): Promise<Measured> {
  const cli = await runCli(
    [
      "performance", target, "--workload", workload, "--accel", "tcg", "-n", String(iterations), "-w", "0", "--debug",
      "--output", "json", "--results-dir", resultsDir, "--cache-dir", sources.cacheDir, ...sources.mirrorArgs,
    ],
  );
  expect(cli.code, cli.stderr.split("\n").slice(-40).join("\n")).toBe(0);
  return { cli, entry: PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results[0]! };
}

describe.each(CASES)("performance $name:qemu, built from the pinned sources (TCG)", ({ name, banner, roles }) => {
  let resultsDir: string;
  let hello: Measured;
  let alloc: Measured;
  let helloAgain: Measured;

  beforeAll(async () => {
    resultsDir = await mkdtemp(path.join(os.tmpdir(), `bt-${name}-`));
    hello = await measure(`${name}:qemu`, "hello", 3, resultsDir);
    alloc = await measure(`${name}:qemu`, "alloc", 1, resultsDir);
    // As on another machine, or in CI's clone of the project: the sources fetched afresh
    // into another download cache, from the mirror at another path.
    const elsewhere = await mkdtemp(path.join(scratchRoot, `${name}-elsewhere-`));
    helloAgain = await measure(`${name}:qemu`, "hello", 1, resultsDir, {
      cacheDir: path.join(elsewhere, "cache"),
      mirrorArgs: SOURCES_MIRROR ? ["--sources-mirror", await mirrorView(SOURCES_MIRROR, elsewhere, ["www.musl-libc.org"])] : [],
    });
  }, BUILD_TIMEOUT_MS);

  afterAll(() => rm(resultsDir, { recursive: true, force: true }));

  it("boots the unikernel: its banner on the console, the ready marker, the guest's power-off", () => {
    expect(hello.entry).toMatchObject({ target: name, vmm: "qemu", status: "ok", accel: "tcg" });
    expect(hello.cli.stderr).toMatch(new RegExp(`console: .*${banner.source}`));
    expect(hello.cli.stderr).toMatch(/console: BENCHMARK_TOOL_READY/);
    expect(hello.entry.iterations).toHaveLength(3);
    for (const iteration of hello.entry.iterations) {
      expect(iteration.bootNs).toBeGreaterThan(0);
      expect(iteration.bootNs).toBeLessThan(iteration.runNs);
      expect(iteration.guestEndReason).toBe("guest-shutdown");
      expect(iteration.peakRssExact).toBe(true);
    }
  });

  it("records the guest's own boot time beside the tool's, from the guest's clock, or why there is none", () => {
    for (const iteration of hello.entry.iterations) {
      if (iteration.guestReportedBootNs === undefined) {
        // OSv under TCG states "Booted up in 0.00 ms": its clock (the HPET) starts after the points it measures from.
        expect(name).toBe("osv");
        expect(iteration.guestReportedBootAbsent).toMatch(/'Booted up in 0\.00 ms'.*no measurement/);
        continue;
      }
      expect(iteration.guestReportedBootAbsent).toBeUndefined();
      expect(iteration.guestReportedBootNs).toBeGreaterThan(0);
      // The guest's clock starts after the tool's (the tool's starts at `cont`), and stops at the same point or earlier.
      expect(iteration.guestReportedBootNs).toBeLessThanOrEqual(iteration.bootNs);
    }
    const absent = hello.entry.iterations.filter((i) => i.guestReportedBootAbsent !== undefined);
    if (absent.length === 0) {
      expect(hello.entry.summary?.guestBootTimeMs?.n).toBe(3);
      expect(hello.cli.stderr).toMatch(/Time to boot as the guest reported it: \d+\.\d\dms/);
    } else {
      // Never a 0 among the figures: no summary, and a warning that says why.
      expect(hello.entry.summary?.guestBootTimeMs).toBeUndefined();
      expect(hello.entry.warnings).toContainEqual(expect.stringMatching(/^Time to boot \(guest-reported\): absent in \d of 3 iteration\(s\)/));
    }
    if (name === "unikraft") expect(absent).toEqual([]);
  });

  it("measures the image as the bytes of the files the guest boots from", async () => {
    const image = hello.entry.image!;
    expect(image.files.map((f) => f.role)).toEqual(roles);
    expect(image.sizeBytes).toBe(await bootedBytes(image));
    // A unikernel's whole image is small: Unikraft's about 1 MiB, OSv's kernel and disk about 11 MiB.
    expect(image.sizeBytes).toBeLessThan(32 * 2 ** 20);
  });

  it("prints the seed's lines for each measured iteration", () => {
    for (const line of SEED_LINES) expect(hello.cli.stderr.match(line) ?? [], String(line)).toHaveLength(3);
  });

  it("runs the seed's alloc workload: 8 s of pauses after the boot, and about 40 MiB more of the host's memory", () => {
    expect(alloc.entry.status).toBe("ok");
    const run = alloc.entry.iterations[0]!;
    expect(run.runNs - run.bootNs).toBeGreaterThan(8e9);
    const helloPeak = Math.max(...hello.entry.iterations.map((i) => i.peakRssBytes));
    // The guest touched 4 x 10 MiB it had never touched before.
    expect(run.peakRssBytes - helloPeak).toBeGreaterThan(30 * 2 ** 20);
  });

  it("keeps rebuilds fast: another workload rebuilds only its own layers; an unchanged recipe none, even with its sources fetched afresh from elsewhere", () => {
    const layerless = layerlessSteps(name, "qemu");
    const [allocCached, allocSteps] = cacheSteps(alloc.cli.stderr, `${name}-qemu`);
    // The workload's RUN, and the final stage's COPYs and LABEL, after the slow layers. On Unikraft
    // also the network stack's RUN, which depends on the workload but does nothing for one that does
    // not serve (http), and the COPY of the workloads after it.
    expect(allocSteps - layerless - allocCached).toBeLessThanOrEqual(name === "unikraft" ? 6 : 4);
    const [againCached, againSteps] = cacheSteps(helloAgain.cli.stderr, `${name}-qemu`);
    expect(againCached).toBe(againSteps - layerless);
    expect(helloAgain.cli.stderr).toMatch(/: fetching https:\/\/\S+ at \S+ from (the mirror \S+mirror-view-|upstream)/);
    expect(helloAgain.cli.stderr).not.toMatch(/from the download cache/);
  });

  it("boots two at once from one image (density), leaving the cached image as it was", async () => {
    const files = hello.entry.image!.files.map((f) => f.path);
    const digests = (): string[] => files.map((file) => createHash("sha256").update(readFileSync(file)).digest("hex"));
    const before = digests();
    const cli = await runCli([
      "density", `${name}:qemu`, "--vms", "2", "--rounds", "1", "--accel", "tcg", "--output", "json",
      "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR, ...mirrorArgs(),
    ]);
    expect(cli.code, cli.stderr.split("\n").slice(-20).join("\n")).toBe(0);
    const [level] = (JSON.parse(cli.stdout) as { results: Array<{ levels: Array<{ vms: number; perVm: Array<{ status: string; bootNs?: number }> }> }> }).results[0]!.levels;
    expect(level!.vms).toBe(2);
    expect(level!.perVm.map((vm) => vm.status)).toEqual(["ok", "ok"]);
    for (const vm of level!.perVm) expect(vm.bootNs).toBeGreaterThan(0);
    expect(digests()).toEqual(before);
  }, BUILD_TIMEOUT_MS);
});

describe.each(CASES)("performance $name:firecracker on the spec-validating stand-in", ({ name, roles }) => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), `bt-${name}-fc-`));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it(
    "builds the Firecracker recipe, and every API request configuring its kernel (and disk) is valid against Firecracker's specification",
    async () => {
      const { entry, bootSource, drives } = await runOnFirecrackerStandin(name, scratch, mirrorArgs());
      expect(entry.image!.files.map((f) => f.role)).toEqual(roles);
      expect(bootSource.body.boot_args).toBe(entry.bootArgs);
      if (roles.includes("disk")) {
        // OSv: its ROFS disk as the root drive, and no PCI (Firecracker has none).
        expect(drives.map((d) => d.body)).toEqual([expect.objectContaining({ path_on_host: entry.image!.files.find((f) => f.role === "disk")!.path, is_root_device: true })]);
        expect(entry.bootArgs).toMatch(/^--nopci /);
      } else {
        expect(drives).toEqual([]);
      }
    },
    BUILD_TIMEOUT_MS,
  );
});
