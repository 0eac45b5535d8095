// history, compare, export and report through the built CLI, over runs that
// performance and community stored themselves and synthetic ones with a known answer.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { TEST_CACHE_DIR } from "../paths.js";
import { runCommunity } from "../community/run-cli.js";
import { tinyRepository } from "../github-standin/fixtures.js";
import { startGitHubStandin, type GitHubStandin } from "../github-standin/server.js";
import { BOOT_PHASE_LABELS, BOOT_PHASES } from "../../src/vocabulary/boot-phases.js";
import type { PerformanceRun } from "../../src/results/schema.js";
import { SqliteStore } from "../../src/results/store/sqlite-store.js";
import { performanceStoredRun } from "../../src/results/store/stored-run.js";
import { noisy, seededRandom, syntheticPerformanceRun } from "./fixtures.js";

let resultsDir: string;
let standin: GitHubStandin;
const performanceRuns: PerformanceRun[] = [];
let communityRunId: string;

beforeAll(async () => {
  resultsDir = await mkdtemp(path.join(os.tmpdir(), "results-cli-"));
  for (const labels of [["--label", "baseline", "--label", "commit=3f9a1c2"], []]) {
    const result = await runCli(["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "5", "-w", "1", "--output", "json", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR, ...labels]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Run \S+ stored in .*benchmark-tool\.db/);
    expect(result.stderr).toMatch(/Report written to .*reports\/\S+\.html/);
    performanceRuns.push(JSON.parse(result.stdout) as PerformanceRun);
  }
  standin = await startGitHubStandin({ repositories: [tinyRepository(Date.now())] });
  const community = await runCommunity(["acme/tiny", "--api-url", standin.url, "--results-dir", resultsDir]);
  expect(community.code, community.stderr).toBe(0);
  communityRunId = /Run (\S+) stored in/.exec(community.stderr)![1]!;
});
afterAll(async () => {
  await standin?.close();
  await rm(resultsDir, { recursive: true, force: true });
});

describe("history", () => {
  it("lists the stored runs newest first, one line each", async () => {
    const result = await runCli(["history", "--results-dir", resultsDir], { COLUMNS: "400" });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n").slice(2);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([communityRunId, performanceRuns[1]!.runId, performanceRuns[0]!.runId]);
    expect(lines[0]).toMatch(/community .* acme\/tiny$/);
    expect(lines[1]).toMatch(/performance .* null:qemu-microvm; n=5$/);
    expect(communityRunId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
  });

  it("shows each performance run's host and labels, and filters by label", async () => {
    expect(performanceRuns[0]!.labels).toEqual(["baseline", "commit=3f9a1c2"]);
    expect(performanceRuns[0]!.host.hostname).toBe(os.hostname());
    // A wide terminal's worth of columns ($COLUMNS where stdout is a pipe): every host column.
    const result = await runCli(["history", "--results-dir", resultsDir, "--label", "baseline"], { COLUMNS: "400" });
    expect(result.code, result.stderr).toBe(0);
    const [line, ...more] = result.stdout.trimEnd().split("\n").slice(2);
    expect(more).toEqual([]);
    const host = performanceRuns[0]!.host;
    const cells = [performanceRuns[0]!.runId, "performance", ".*", os.hostname(), `${host.cores}× ${host.cpuModel}`, host.kernel, `QEMU ${performanceRuns[0]!.results[0]!.vmmVersion}`, "tcg", "baseline, commit=3f9a1c2", "null:qemu-microvm; n=5"];
    const escape = (text: string): string => (text === ".*" ? text : text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    expect(line).toMatch(new RegExp(`^${cells.map(escape).join(" +")}$`));

    // In a pipe, 160 columns: the kernel, VMM and CPU columns go first, and the table says so.
    const narrow = await runCli(["history", "--results-dir", resultsDir, "--label", "baseline"]);
    const narrowLines = narrow.stdout.trimEnd().split("\n");
    expect(Math.max(...narrowLines.map((l) => l.length))).toBeLessThanOrEqual(160);
    expect(narrowLines[0]).toMatch(/^Run +Kind +Started \(UTC\) +Host +(CPU +)?Accel +Labels +What$/);
    expect(narrowLines.at(-1)).toMatch(/^\(left out to fit 160 columns: Kernel, VMM(, CPU)?\)$/);
  });

  it("refuses a bad label or filter before doing anything (exit 2)", async () => {
    const label = await runCli(["performance", "null:qemu-microvm", "--label", "not a label", "--results-dir", resultsDir]);
    expect(label.code).toBe(2);
    expect(label.stderr).toContain('"not a label" is not a label: use 1 to 100 letters, digits and . _ : / = @ + -');
    const latest = await runCli(["performance", "null:qemu-microvm", "--label", "latest", "--results-dir", resultsDir]);
    expect(latest.code).toBe(2);
    expect(latest.stderr).toContain('"latest" already names a run');
    const since = await runCli(["history", "--since", "last tuesday", "--results-dir", resultsDir]);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain("give a date (2026-11-26), a date and time (2026-11-26T15:00:00Z), or a duration back from now (30m, 12h, 7d, 2w)");
    const limit = await runCli(["history", "--limit", "0", "--results-dir", resultsDir]);
    expect(limit.code).toBe(2);
  });
});

describe("compare", () => {
  it("compares two stored runs by prefix and latest, with a verdict per metric", async () => {
    const [a, b] = performanceRuns;
    // The shortest prefix that names only A: runs started in the same second share 18
    // characters and may share more, and an ambiguous prefix is (rightly) refused.
    const others = [b!.runId];
    let prefixLength = 16;
    while (others.some((id) => id.startsWith(a!.runId.slice(0, prefixLength)))) prefixLength += 1;
    const result = await runCli(["compare", a!.runId.slice(0, prefixLength), "latest", "--results-dir", resultsDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`A = ${a!.runId} (baseline, commit=3f9a1c2), B = ${b!.runId};`);
    for (const metric of ["Time to boot", "Time to run", "VMM start-up", "Total memory usage", "Image size"]) {
      expect(result.stdout).toMatch(new RegExp(`null\\s+qemu-microvm\\s+${metric}\\s+.*(faster|slower|smaller|larger|no significant change)\\n`));
    }
  });

  it("refuses a prefix that names more than one performance run, and says to give more of the id", async () => {
    const ids = performanceRuns.map((run) => run.runId);
    let common = 0;
    while (ids.every((id) => id[common] === ids[0]![common])) common += 1;
    const result = await runCli(["compare", ids[0]!.slice(0, common), "latest", "--results-dir", resultsDir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`"${ids[0]!.slice(0, common)}" matches 2 runs`);
    expect(result.stderr).toContain("give more of the id");
  });

  it("takes a label where a run is named: compare baseline latest", async () => {
    const [a, b] = performanceRuns;
    const result = await runCli(["compare", "baseline", "latest", "--results-dir", resultsDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`A = ${a!.runId} (baseline, commit=3f9a1c2), B = ${b!.runId}`);
    // The same machine and settings: no warning.
    expect(result.stderr).not.toContain("Warning:");
  });

  it("calls a real shift significant and leaves noise alone (synthetic runs, JSON output)", async () => {
    const random = seededRandom(21);
    const store = await SqliteStore.open(resultsDir);
    await store.save(performanceStoredRun(syntheticPerformanceRun("20200101T000000Z-0a0a", "2020-01-01T00:00:00.000Z", [{ target: "osv", vmm: "qemu", bootMs: noisy(random, 15, 100, 5), runMs: noisy(random, 15, 200, 10) }])));
    await store.save(performanceStoredRun(syntheticPerformanceRun("20200102T000000Z-0b0b", "2020-01-02T00:00:00.000Z", [{ target: "osv", vmm: "qemu", bootMs: noisy(random, 15, 80, 5), runMs: noisy(random, 15, 200, 10) }])));
    store.close();
    const result = await runCli(["compare", "20200101", "20200102", "--output", "json", "--results-dir", resultsDir]);
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout).rows as Array<{ metric: string; verdict: string; significant: boolean; changePercent: number }>;
    const boot = rows.find((r) => r.metric === "Time to boot")!;
    expect(boot).toMatchObject({ verdict: "faster", significant: true });
    expect(boot.changePercent).toBeCloseTo(-20, -1);
    expect(rows.find((r) => r.metric === "Time to run")).toMatchObject({ verdict: "no significant change", significant: false });
  });

  it("refuses an unknown run or a community run (exit 2)", async () => {
    const unknown = await runCli(["compare", "nope", "latest", "--results-dir", resultsDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no performance run or label "nope"');
    const community = await runCli(["compare", communityRunId, "latest", "--results-dir", resultsDir]);
    expect(community.code).toBe(2);
  });
});

describe("export", () => {
  it("prints a performance run as its JSON document, CSV and Markdown", async () => {
    const run = performanceRuns[0]!;
    const json = await runCli(["export", run.runId, "--results-dir", resultsDir]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(await readFile(path.join(resultsDir, "performance", `${run.runId}.json`), "utf8"));
    const csv = await runCli(["export", run.runId, "--format", "csv", "--results-dir", resultsDir]);
    expect(csv.stdout.split("\n")[0]).toBe("target,vmm,accel,status,metric,unit,n,median,mean,stddev,min,max,p95,ci95_low,ci95_high,outliers,error");
    const markdown = await runCli(["export", run.runId, "--format", "markdown", "--results-dir", resultsDir]);
    expect(markdown.stdout).toMatch(/^\| Target +\| VMM/);
  });

  it("adds a row per boot phase with --phases, summarised from the stored iterations", async () => {
    const run = performanceRuns[0]!;
    const plain = await runCli(["export", run.runId, "--format", "csv", "--results-dir", resultsDir]);
    expect(plain.stdout).not.toContain("Phase: ");
    const csv = await runCli(["export", run.runId, "--format", "csv", "--phases", "--results-dir", resultsDir]);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.split("\n").map((line) => line.split(",")).filter((cells) => cells[4]?.startsWith("Phase: "));
    expect(rows.map((cells) => cells[4])).toEqual(BOOT_PHASES.map((phase) => `Phase: ${BOOT_PHASE_LABELS[phase]}`));
    expect(rows.map((cells) => cells[6])).toEqual(Array(BOOT_PHASES.length).fill("5"));
    // The VMM start-up phase is the iteration's VMM start-up, so their medians agree.
    expect(Number(rows[0]![7])).toBeCloseTo(run.results[0]!.summary!.vmmStartupMs!.median, 6);
  });

  it("prints a community run as JSON, CSV and Markdown", async () => {
    const json = await runCli(["export", communityRunId, "--results-dir", resultsDir]);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: "community", runId: communityRunId, repositories: [{ report: { owner: "acme", repo: "tiny", star_number: 42 } }] });
    const csv = await runCli(["export", communityRunId, "--format", "csv", "--results-dir", resultsDir]);
    expect(csv.stdout).toMatch(/^owner,repo,star_number,fork_number,/);
    expect(csv.stdout.split("\n")[1]).toMatch(/^acme,tiny,42,7,/);
    const markdown = await runCli(["export", communityRunId, "--format", "markdown", "--results-dir", resultsDir]);
    expect(markdown.stdout).toMatch(/\| star_number +\| 42 +\|/);
  });
});

describe("report", () => {
  it("writes the latest run's report by default", async () => {
    const file = path.join(resultsDir, "default-report.html");
    const result = await runCli(["report", "--results-dir", resultsDir, "-o", file]);
    expect(result.code, result.stderr).toBe(0);
    const html = await readFile(file, "utf8");
    expect(html).toContain('data-chart="community-counts"');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });
});
