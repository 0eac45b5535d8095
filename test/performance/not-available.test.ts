// What cannot run here: a pair the tool chose (a target named without its VMM,
// or no target at all) is listed as "not available here" and the run still
// succeeds; a pair the user named stays an error. And the tables that report
// them keep to the terminal's width, or to 160 columns in a pipe.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerformanceRunSchema } from "../../src/results/schema.js";
import { runCli } from "../helpers/cli.js";
import { CLI_PATH, TEST_CACHE_DIR } from "../paths.js";

const execFileAsync = promisify(execFile);
// No Firecracker where FIRECRACKER_BIN points and no Docker engine where DOCKER_HOST does, whatever this host has.
const NO_FIRECRACKER = { FIRECRACKER_BIN: "/nonexistent/firecracker", DOCKER_HOST: "unix:///nonexistent.sock" };

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-not-available-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const measureArgs = (...targets: string[]): string[] => ["performance", ...targets, "--accel", "tcg", "-n", "1", "-w", "0", "--results-dir", tmp, "--cache-dir", TEST_CACHE_DIR];

/** The CLI on a terminal `columns` wide (util-linux `script` gives it a pseudo-terminal). */
async function onTerminal(columns: number, args: string[]): Promise<string> {
  const command = `stty cols ${columns} rows 50; exec ${[process.execPath, CLI_PATH, ...args].join(" ")} 2>/dev/null`;
  // -e: script exits as the CLI did; what it printed is all that matters here.
  const { stdout } = await execFileAsync("script", ["-qec", command, "/dev/null"], { env: { ...process.env, ...NO_FIRECRACKER } }).catch((error: { stdout: string }) => error);
  return stdout.replace(/\r/g, "");
}

const widest = (text: string): number => Math.max(...text.split("\n").map((line) => [...line].length));

describe("pairs that cannot run here", () => {
  it("a target named without its VMM: measures what can run, lists the rest as not available here, and exits 0", async () => {
    const cli = await runCli([...measureArgs("null"), "--output", "json"], NO_FIRECRACKER);
    expect(cli.code, cli.stderr).toBe(0);
    const run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
    expect(run.results.map((r) => [r.vmm, r.status])).toEqual([
      ["qemu", "ok"],
      ["qemu-microvm", "ok"],
      ["firecracker", "unavailable"],
    ]);
    expect(run.results[2]!.error).toMatch(/\/nonexistent\/firecracker .* is not an executable file|Firecracker needs KVM/);
    expect(cli.stderr).toMatch(/INFO\[[^\]]+\] null on firecracker is not available here: /);
    expect(cli.stderr).not.toMatch(/WARN.*did not complete/);
    // The HTML report says the same below its summary table.
    const report = await readFile(path.join(tmp, "reports", `${run.runId}.html`), "utf8");
    expect(report).toMatch(/<p>Not available here \(not named, so not an error\):<\/p><ul><li>null on firecracker: /);
  });

  it("a pair named explicitly that cannot run stays an error (exit 1)", async () => {
    const cli = await runCli([...measureArgs("null:firecracker"), "--output", "json"], NO_FIRECRACKER);
    expect(cli.code).toBe(1);
    expect(PerformanceRunSchema.parse(JSON.parse(cli.stdout)).results.map((r) => r.status)).toEqual(["skipped"]);
  });

  it("the summary table stays within 160 columns in a pipe, with the reasons below it", async () => {
    const cli = await runCli(measureArgs("null:qemu-microvm", "null:firecracker", "osv"), NO_FIRECRACKER);
    const [table, notes] = cli.stdout.split("\n\n");
    expect(widest(cli.stdout)).toBeLessThanOrEqual(160);
    expect(table).toMatch(/^Target\s+VMM\s+Accel\s+Metric\s+Median\s+Mean ± σ\s+Min\s+Max\s+95% CI \(mean\)\s+n$/m);
    expect(table).toMatch(/^null\s+firecracker\s+skipped \(see below\)$/m);
    // Pairs not available here are only below, not rows.
    expect(table).not.toMatch(/^osv/m);
    expect(notes).toMatch(/^Did not complete:\n {2}null on firecracker \(skipped\): /);
    expect(cli.stdout).toMatch(/\nNot available here \(not named, so not an error\):\n {2}osv on qemu: the Docker daemon is not reachable[^]*\n {2}osv on firecracker: /);
  });

  it("on an 80-column terminal the summary leaves out the spread columns and wraps the reasons", async () => {
    const out = await onTerminal(80, measureArgs("null:qemu-microvm", "null:firecracker"));
    expect(widest(out)).toBeLessThanOrEqual(80);
    expect(out).toMatch(/^Target\s+VMM\s+(Accel\s+)?Metric\s+Median\s.*n$/m);
    expect(out).toMatch(/^null\s+qemu-microvm\s+(tcg\s+)?Time to boot\s+[\d.]+ ms/m);
    expect(out).toMatch(/\(left out to fit 80 columns: 95% CI \(mean\)/);
    expect(out).toMatch(/null on firecracker \(skipped\): /);
  });

  it("`targets` keeps its reasons below the table, within 160 columns or the terminal's width", async () => {
    const piped = await runCli(["targets"], NO_FIRECRACKER);
    expect(piped.code).toBe(0);
    expect(widest(piped.stdout)).toBeLessThanOrEqual(160);
    expect(piped.stdout).toMatch(/^Unikernel\s+Repository\s+VMM\s+Workloads\s+Can run\s+KVM trial$/m);
    expect(piped.stdout).toMatch(/^null\s+benchmark-tool\/null\s+firecracker\s+hello\s+no \(see below\)$/m);
    expect(piped.stdout).toMatch(/\nNot available here:\n {2}null on firecracker, linux on firecracker.*: /);
    const narrow = await onTerminal(60, ["targets"]);
    expect(widest(narrow)).toBeLessThanOrEqual(60);
    expect(narrow).toMatch(/^null\s+(benchmark-tool\/null\s+)?firecracker\s+.*no \(see below\)$/m);
  });
});
