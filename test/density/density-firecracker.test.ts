// Density on Firecracker, through the stand-in that validates every request
// against Firecracker's published API specification: two VMs configured and
// started at once, each timed; their memory cannot be read once their guest
// has ended (Firecracker exits with it), and the result says so.
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DensityRunSchema } from "../../src/results/density-schema.js";
import { runCli } from "../helpers/cli.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { standInKvmEnv } from "../helpers/standin-kvm.js";
import { PROJECT_ROOT, TEST_CACHE_DIR } from "../paths.js";

const FAKE = path.join(PROJECT_ROOT, "test/firecracker/fake-firecracker.mjs");

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-density-fc-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe("density null:firecracker on the spec-validating stand-in (with or without /dev/kvm)", () => {
  it("measures 1 and 2 VMs at once with every request valid, and says why their memory is absent", async () => {
    const privateTmp = path.join(tmp, "tmp");
    await mkdir(privateTmp);
    const recordFile = path.join(tmp, "requests.jsonl");
    const cli = await runCli(
      ["density", "null:firecracker", "--firecracker-bin", FAKE, "--vms", "1,2", "--rounds", "1", "--output", "json", "--results-dir", path.join(tmp, "results"), "--cache-dir", TEST_CACHE_DIR],
      { TMPDIR: privateTmp, FAKE_FC_RECORD: recordFile, ...(await standInKvmEnv(tmp)) },
    );
    expect(cli.code, cli.stderr).toBe(0);
    const entry = DensityRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry.levels.map((l) => l.perVm.map((vm) => vm.status))).toEqual([["ok"], ["ok", "ok"]]);
    for (const vm of entry.levels.flatMap((l) => l.perVm)) expect(vm.bootNs).toBeGreaterThan(0);
    expect(entry.warnings.join("\n")).toMatch(/firecracker exits with its guest: the memory of VMMs whose guest had already ended could not be read/);
    // One InstanceStart per VM, and the stand-in found every request valid.
    const requests = (await readFile(recordFile, "utf8")).split("\n").filter(Boolean).map((line) => JSON.parse(line) as { body?: { action_type?: string }; ok: boolean; errors?: unknown });
    expect(requests.filter((r) => r.body?.action_type === "InstanceStart")).toHaveLength(3);
    expect(requests.filter((r) => !r.ok)).toEqual([]);
    expect(await readdir(privateTmp)).toEqual([]);
    expect(await processesMentioning(privateTmp)).toEqual([]);
  });
});
