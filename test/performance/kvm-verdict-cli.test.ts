// The KVM trial's verdict, remembered across runs: on a host where KVM cannot
// run a guest (QEMU here fails under KVM as nested KVM fails Linux), the first
// run with --accel auto pays the trial and falls back to TCG; the next does not
// try KVM again, and `targets` shows what the trial found. No boot here uses
// KVM (the QEMU wrapper hands every KVM boot to a stand-in that fails), so the
// tool is given a KVM device of the test's own: it runs on hosts without one.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DensityRunSchema } from "../../src/results/density-schema.js";
import { PerformanceRunSchema } from "../../src/results/schema.js";
import { runCli } from "../helpers/cli.js";
import { standInKvmEnv } from "../helpers/standin-kvm.js";
import { QEMU_WRAPPER } from "../paths.js";


let tmp: string;
let cacheDir: string;
let boots: string;
let kvmDevice: NodeJS.ProcessEnv;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-kvm-verdict-"));
  // A cache of its own: the verdicts file starts empty.
  cacheDir = path.join(tmp, "cache");
  boots = path.join(tmp, "boots.log");
  kvmDevice = await standInKvmEnv(tmp);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({ QEMU_BIN: QEMU_WRAPPER, FAKE_KVM_FAILS: "1", QEMU_BOOTS_LOG: boots, ...kvmDevice });
const measure = () =>
  runCli(["performance", "null:qemu-microvm", "--accel", "auto", "-n", "2", "-w", "0", "--output", "json", "--results-dir", path.join(tmp, "results"), "--cache-dir", cacheDir], env());
const bootsUnder = async (accel: string): Promise<number> =>
  (await readFile(boots, "utf8").catch(() => "")).split("\n").filter((line) => line.includes(` -accel ${accel} `)).length;

describe("the KVM trial's verdict (with or without /dev/kvm)", () => {
  it("is paid once: the first run tries KVM and falls back to TCG, the next goes straight to TCG, and targets shows it", async () => {
    const first = await measure();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/null on qemu-microvm: KVM could not run this guest \(a KVM internal error\); --accel auto measures it under TCG instead/);
    expect(PerformanceRunSchema.parse(JSON.parse(first.stdout)).results[0]).toMatchObject({ status: "ok", accel: "tcg" });
    expect(await bootsUnder("kvm")).toBe(1);
    expect(await bootsUnder("tcg")).toBe(2);

    const second = await measure();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(
      new RegExp(`null on qemu-microvm: KVM cannot run this guest here, as the KVM trial of \\S+ found \\(a KVM internal error\\); --accel auto measures it under TCG \\(delete ${cacheDir}/kvm-verdicts\\.json to try KVM again\\)`),
    );
    const entry = PerformanceRunSchema.parse(JSON.parse(second.stdout)).results[0]!;
    expect(entry).toMatchObject({ status: "ok", accel: "tcg" });
    expect(entry.warnings).toContainEqual(expect.stringMatching(/^KVM cannot run this guest here \(KVM trial of \S+: a KVM internal error\); measured under TCG$/));
    // No second trial.
    expect(await bootsUnder("kvm")).toBe(1);
    expect(await bootsUnder("tcg")).toBe(4);

    const targets = await runCli(["targets", "--cache-dir", cacheDir], env());
    expect(targets.code, targets.stderr).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(targets.stdout).toMatch(new RegExp(`^null\\s+benchmark-tool/null\\s+qemu-microvm\\s+hello\\s+yes \\(tcg\\)\\s+fails \\(${today}\\)$`, "m"));
    expect(targets.stdout).toMatch(/^null\s+benchmark-tool\/null\s+qemu\s+hello\s+yes \(kvm\)\s+not made yet$/m);
    expect(targets.stdout).toMatch(/KVM cannot run these here, as the KVM trial found; --accel auto runs them under TCG \(delete \S+kvm-verdicts\.json to try again\):\n {2}null on qemu-microvm: a KVM internal error/);
    const rows = JSON.parse((await runCli(["targets", "--cache-dir", cacheDir, "--output", "json"], env())).stdout) as Array<Record<string, unknown>>;
    expect(rows.find((r) => r.unikernel === "null" && r.vmm === "qemu-microvm")).toMatchObject({ accel: "tcg", kvmTrial: { kvmWorks: false, reason: "a KVM internal error" } });
  });

  it("is made by density too, before its first level: one VM alone, then every level under TCG", async () => {
    const densityCache = path.join(tmp, "density-cache");
    const densityBoots = path.join(tmp, "density-boots.log");
    const cli = await runCli(
      ["density", "null:qemu-microvm", "--accel", "auto", "--vms", "1,2", "--rounds", "1", "--output", "json", "--results-dir", path.join(tmp, "density-results"), "--cache-dir", densityCache],
      { ...env(), QEMU_BOOTS_LOG: densityBoots },
    );
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/null on qemu-microvm: KVM could not run this guest \(a KVM internal error\); --accel auto measures it under TCG instead/);
    const entry = DensityRunSchema.parse(JSON.parse(cli.stdout)).results[0]!;
    expect(entry).toMatchObject({ status: "ok", accel: "tcg" });
    expect(entry.warnings).toContainEqual(expect.stringMatching(/^KVM could not run this guest \(a KVM internal error\); measured under TCG$/));
    const lines = (await readFile(densityBoots, "utf8")).split("\n").filter(Boolean);
    // The trial under KVM, then the levels of 1 and 2 VMs under TCG.
    expect(lines.filter((line) => line.includes(" -accel kvm "))).toHaveLength(1);
    expect(lines.filter((line) => line.includes(" -accel tcg "))).toHaveLength(3);
  });
});
