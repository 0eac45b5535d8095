// Damaged stores: run files cut short, invalid or from a newer schema, a
// corrupted SQLite database, a results directory that turns read-only and a
// disk that fills up while a run is saved. Each is named with what to do, the
// good runs stay readable, and the run just measured is never lost.
import { execFileSync, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerformanceRunSchema } from "../../src/results/schema.js";
import { writeCommunityRun, writePerformanceRun } from "../../src/results/store/run-files.js";
import { DATABASE_FILE } from "../../src/results/store/sqlite-store.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { CLI_PATH, TEST_CACHE_DIR } from "../paths.js";
import { communityReport, noisy, seededRandom, syntheticCommunityRun, syntheticPerformanceRun } from "./fixtures.js";

const GOOD_A = "20261126T100000Z-aaaa";
const GOOD_B = "20261126T110000Z-bbbb";
const COMMUNITY = "20261126T120000Z-cccc";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-damaged-"));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A results directory with two good performance runs and a community run. */
async function goodResults(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  const random = seededRandom(11);
  await writePerformanceRun(dir, syntheticPerformanceRun(GOOD_A, "2026-11-26T10:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: noisy(random, 8, 3, 1) }]));
  await writePerformanceRun(dir, syntheticPerformanceRun(GOOD_B, "2026-11-26T11:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: noisy(random, 8, 4, 1) }]));
  await writeCommunityRun(dir, syntheticCommunityRun(COMMUNITY, [communityReport("acme", "tiny", 3)]));
  return dir;
}

/** Newest first; the community run started at 10:00 UTC (12:00+02:00), as GOOD_A did. */
const GOOD_RUNS = [GOOD_B, COMMUNITY, GOOD_A];

/** The run ids history printed (the table's rows, not the note of columns left out to fit). */
const listed = (history: CliResult): string[] =>
  history.stdout
    .trimEnd()
    .split("\n")
    .slice(2)
    .map((line) => line.split(/\s+/)[0]!)
    .filter((cell) => /^\d{8}T\d{6}Z-/.test(cell));

describe("damaged run files", () => {
  it("history lists the good runs and names each bad file, why, and what to do", async () => {
    const dir = await goodResults("files");
    const performanceDir = path.join(dir, "performance");
    const good = await readFile(path.join(performanceDir, `${GOOD_A}.json`), "utf8");
    const truncated = path.join(performanceDir, "20261126T130000Z-trnc.json");
    await writeFile(truncated, good.slice(0, good.length / 2));
    const notARun = path.join(performanceDir, "20261126T130000Z-nota.json");
    await writeFile(notARun, JSON.stringify({ hello: "world" }));
    const newer = path.join(performanceDir, "20261126T130000Z-newr.json");
    await writeFile(newer, JSON.stringify({ ...JSON.parse(good), runId: "20261126T130000Z-newr", schemaVersion: 2, somethingNew: true }));
    const community = path.join(dir, "community", "20261126T130000Z-cmty.json");
    await writeFile(community, "");

    const history = await runCli(["history", "--results-dir", dir]);
    expect(history.code, history.stderr).toBe(0);
    expect(listed(history)).toEqual(GOOD_RUNS);
    expect(history.stderr).toContain(`Left out ${truncated} is not valid JSON, perhaps cut short while being written`);
    expect(history.stderr).toContain(`Left out ${notARun} is not a performance run this benchmark-tool can read (schemaVersion: `);
    expect(history.stderr).toContain(`move it out of ${performanceDir} (or delete it) if it cannot be mended; the other runs are not affected`);
    expect(history.stderr).toContain(
      `Left out ${newer} was written by a newer benchmark-tool (performance run schema version 2; this one reads version 1): upgrade benchmark-tool to read it`,
    );
    expect(history.stderr).toContain(`Left out ${community} is not valid JSON`);

    // The good runs stay usable.
    const compare = await runCli(["compare", GOOD_A, GOOD_B, "--results-dir", dir]);
    expect(compare.code, compare.stderr).toBe(0);
    const exported = await runCli(["export", GOOD_B, "--results-dir", dir]);
    expect(PerformanceRunSchema.parse(JSON.parse(exported.stdout)).runId).toBe(GOOD_B);
  });
});

describe("a damaged SQLite database", () => {
  it.each([
    ["overwritten", (file: string) => writeFile(file, "not a database: ".repeat(512)), /is damaged \(file is not a database\)/],
    ["cut in half", async (file: string) => truncate(file, 8192), /is damaged \(database disk image is malformed\)/],
  ] as const)("%s: history reads the runs from their JSON files and says how to rebuild it", async (name, damage, why) => {
    const dir = await goodResults(`db-${name.replace(/ /g, "-")}`);
    expect((await runCli(["history", "--results-dir", dir])).code).toBe(0);
    const db = path.join(dir, DATABASE_FILE);
    // Write the WAL back into the file first, so that the damage is all there is.
    execFileSync(process.execPath, ["-e", `const D = require("better-sqlite3"); const d = new D(${JSON.stringify(db)}); d.pragma("wal_checkpoint(TRUNCATE)"); d.close();`]);
    await damage(db);

    const history = await runCli(["history", "--results-dir", dir]);
    expect(history.code, history.stderr).toBe(0);
    expect(listed(history)).toEqual(GOOD_RUNS);
    expect(history.stderr).toMatch(why);
    expect(history.stderr).toContain(`The results database ${db}`);
    expect(history.stderr).toContain(`Move it away (mv ${db} ${db}.damaged): the next \`benchmark-tool history\` rebuilds it from the runs' JSON files`);

    // A run measured now keeps its JSON file and says why it is not in the database.
    const run = await runCli(["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "1", "-w", "0", "--output", "json", "--results-dir", dir, "--cache-dir", TEST_CACHE_DIR]);
    expect(run.code).toBe(1);
    const measured = PerformanceRunSchema.parse(JSON.parse(run.stdout));
    expect(run.stderr).toMatch(new RegExp(`Could not store run ${measured.runId}: The results database .* is damaged`));
    expect(await readdir(path.join(dir, "performance"))).toContain(`${measured.runId}.json`);

    // Doing what it says rebuilds the database, with every run.
    await rename(db, `${db}.damaged`);
    await rm(`${db}-wal`, { force: true });
    await rm(`${db}-shm`, { force: true });
    const rebuilt = await runCli(["history", "--results-dir", dir]);
    expect(rebuilt.stderr).toContain(`Imported 4 run(s) from their JSON files into ${db}`);
    expect(listed(rebuilt)).toEqual([measured.runId, ...GOOD_RUNS]);
  });
});

/** Whether this process may make a private mount namespace (root, or CAP_SYS_ADMIN). */
function canMountTmpfs(): boolean {
  try {
    execFileSync("unshare", ["-m", "sh", "-c", `mount -t tmpfs -o size=4k tmpfs "${os.tmpdir()}" && true`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const mountReason = canMountTmpfs() ? "" : " (skipped: needs a private mount namespace to mount a small tmpfs: run as root)";

describe(`results directory failing while the run is saved${mountReason}`, () => {
  /**
   * Runs `performance` with <dir> on a private tmpfs (mount options `tmpfsOptions`),
   * remounted with `remount` once the first boot was measured when given.
   */
  function measureOnTmpfs(dir: string, tmpfsOptions: string, remount: string | undefined, privateTmp: string): Promise<CliResult> {
    const trigger = path.join(tmp, `trigger-${path.basename(dir)}`);
    const cli = [process.execPath, CLI_PATH, "performance", "null:qemu-microvm", "--accel", "tcg", "-n", remount ? "15" : "5", "-w", "0", "--output", "json", "--results-dir", dir, "--cache-dir", TEST_CACHE_DIR];
    const script = [
      `mount -t tmpfs -o ${tmpfsOptions} tmpfs "$DIR"`,
      `"$@" & cli=$!`,
      ...(remount ? [`while [ ! -e "$TRIGGER" ]; do sleep 0.05; done`, `mount -o remount,${remount} "$DIR"`] : []),
      `wait $cli`,
    ].join("\n");
    const child = spawn("unshare", ["-m", "sh", "-c", script, "sh", ...cli], { env: { ...process.env, DIR: dir, TRIGGER: trigger, TMPDIR: privateTmp } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (/Time to boot/.test(stderr)) void writeFile(trigger, "");
    });
    return new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  }

  it.skipIf(Boolean(mountReason))("a full disk: the run is printed, kept in the temporary directory, and imported once moved back", async () => {
    const dir = path.join(tmp, "full");
    const privateTmp = path.join(tmp, "full-tmp");
    await mkdir(dir);
    await mkdir(privateTmp);
    // One page: room for the directories, not for a run's document.
    const cli = await measureOnTmpfs(dir, "size=4k", undefined, privateTmp);
    expect(cli.code, cli.stderr).toBe(1);
    const run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
    const intended = path.join(dir, "performance", `${run.runId}.json`);
    const kept = path.join(privateTmp, `benchmark-tool-unsaved-performance-${run.runId}.json`);
    expect(cli.stderr).toContain(`Could not write ${intended}: the disk is full (ENOSPC)`);
    expect(cli.stderr).toContain(`The run is kept in ${kept} instead. Once ${dir} can take it, move the file to ${path.dirname(intended)}/ and \`benchmark-tool history\` imports it`);
    expect(cli.stderr).toMatch(new RegExp(`Could not store run ${run.runId}: The results database ${dir}/benchmark-tool\\.db cannot be written: the disk is full`));
    expect(JSON.parse(await readFile(kept, "utf8"))).toEqual(run);

    // Doing what it says.
    const elsewhere = path.join(tmp, "full-moved", "performance");
    await mkdir(elsewhere, { recursive: true });
    await copyFile(kept, path.join(elsewhere, `${run.runId}.json`));
    const history = await runCli(["history", "--results-dir", path.dirname(elsewhere)]);
    expect(listed(history)).toEqual([run.runId]);
  });

  it.skipIf(Boolean(mountReason))("a full disk everywhere: the run is printed on stderr to be saved by hand", async () => {
    const dir = path.join(tmp, "full-everywhere");
    await mkdir(dir);
    // The private temporary directory is on the same small tmpfs.
    const cli = await measureOnTmpfs(dir, "size=4k", undefined, dir);
    expect(cli.code).toBe(1);
    const run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
    expect(cli.stderr).toMatch(/Nor could it be kept in \S+ \(the disk is full \(ENOSPC\)\)\. The run follows on stderr; save it as \S+ to keep it:/);
    const printed = cli.stderr.slice(cli.stderr.indexOf("\n{") + 1, cli.stderr.indexOf("\n}\n") + 2);
    expect(JSON.parse(printed)).toEqual(run);
  });

  it.skipIf(Boolean(mountReason))("a results directory that turns read-only during the run: the run is kept elsewhere and said so", async () => {
    const dir = path.join(tmp, "read-only");
    const privateTmp = path.join(tmp, "read-only-tmp");
    await mkdir(dir);
    await mkdir(privateTmp);
    const cli = await measureOnTmpfs(dir, "size=16m", "ro", privateTmp);
    expect(cli.code).toBe(1);
    const run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
    expect(run.results[0]!.iterations).toHaveLength(15);
    expect(cli.stderr).toContain(`Could not write ${path.join(dir, "performance", `${run.runId}.json`)}: the file system is read-only (EROFS)`);
    expect(JSON.parse(await readFile(path.join(privateTmp, `benchmark-tool-unsaved-performance-${run.runId}.json`), "utf8"))).toEqual(run);
  });
});

describe("a results directory that cannot be written at all", () => {
  it("is refused before anything is measured", async () => {
    const cli = await runCli(["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "1", "--results-dir", "/proc/benchmark-results", "--cache-dir", TEST_CACHE_DIR]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/--results-dir \/proc\/benchmark-results \(to be created in \/proc\) is not writable/);
    expect(cli.stderr).not.toMatch(/Running benchmark/);
  });
});
