// Runs at the same time into one results directory: each lands whole, in its
// JSON file and in the SQLite store, with nothing lost and nothing mixed.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writePerformanceRun } from "../../src/results/store/run-files.js";
import { MIGRATIONS } from "../../src/results/store/migrations/migrations.js";
import { DATABASE_FILE } from "../../src/results/store/sqlite-store.js";
import { runCommunity } from "../community/run-cli.js";
import { tinyRepository } from "../github-standin/fixtures.js";
import { startGitHubStandin, type GitHubStandin } from "../github-standin/server.js";
import { runCli } from "../helpers/cli.js";
import { PROJECT_ROOT, TEST_CACHE_DIR } from "../paths.js";
import { noisy, seededRandom, syntheticPerformanceRun } from "./fixtures.js";

const execFileAsync = promisify(execFile);

let tmp: string;
let standin: GitHubStandin;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-concurrent-"));
  standin = await startGitHubStandin({ repositories: [tinyRepository(Date.now())] });
});
afterAll(async () => {
  await standin?.close();
  await rm(tmp, { recursive: true, force: true });
});

function openStore(resultsDir: string): Database.Database {
  return new Database(path.join(resultsDir, DATABASE_FILE), { readonly: true });
}

describe("concurrent runs into one results directory", () => {
  it("two performance and two community runs at once: all four land whole, in the JSON files and in SQLite", async () => {
    const resultsDir = path.join(tmp, "cli");
    const performance = (n: number) =>
      runCli(["performance", "null:qemu-microvm", "--accel", "tcg", "-n", String(n), "-w", "0", "--output", "json", "--results-dir", resultsDir, "--cache-dir", TEST_CACHE_DIR]);
    const community = () => runCommunity(["acme/tiny", "--api-url", standin.url, "--results-dir", resultsDir]);
    const [p3, p4, c1, c2] = await Promise.all([performance(3), performance(4), community(), community()]);
    for (const cli of [p3, p4, c1, c2]) expect(cli.code, cli.stderr).toBe(0);

    const performanceRuns = [JSON.parse(p3.stdout), JSON.parse(p4.stdout)];
    const communityIds = [c1, c2].map((cli) => /Run (\S+) stored in/.exec(cli.stderr)![1]!);
    expect((await readdir(path.join(resultsDir, "performance"))).sort()).toEqual(performanceRuns.map((r) => `${r.runId}.json`).sort());
    expect((await readdir(path.join(resultsDir, "community"))).sort()).toEqual(communityIds.map((id) => `${id}.json`).sort());

    const db = openStore(resultsDir);
    try {
      expect((db.prepare("SELECT run_id FROM runs ORDER BY run_id").all() as Array<{ run_id: string }>).map((r) => r.run_id)).toEqual(
        [...performanceRuns.map((r) => r.runId), ...communityIds].sort(),
      );
      for (const run of performanceRuns) {
        // Each run's rows are its own: as many samples as it measured, the same document as its file.
        const samples = db.prepare("SELECT boot_ns FROM performance_samples WHERE run_id = ? ORDER BY iteration_index").all(run.runId) as Array<{ boot_ns: number }>;
        expect(samples.map((s) => s.boot_ns)).toEqual(run.results[0].iterations.map((i: { bootNs: number }) => i.bootNs));
        const stored = db.prepare("SELECT document FROM runs WHERE run_id = ?").get(run.runId) as { document: string };
        expect(JSON.parse(stored.document)).toEqual(JSON.parse(await readFile(path.join(resultsDir, "performance", `${run.runId}.json`), "utf8")));
      }
      for (const id of communityIds) {
        expect(db.prepare("SELECT COUNT(*) AS n FROM repository WHERE run_id = ?").get(id)).toEqual({ n: 1 });
      }
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("six processes opening a new store in the same millisecond and saving at once: every run is kept, none fails", async () => {
    const resultsDir = path.join(tmp, "store");
    const runFile = await writePerformanceRun(path.join(tmp, "source"), syntheticPerformanceRun("20261126T100000Z-0000", "2026-11-26T10:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: noisy(seededRandom(7), 20, 3, 1) }]));
    const startAtMs = Date.now() + 1500;
    const processes = Array.from({ length: 6 }, (_, p) =>
      execFileAsync(process.execPath, [path.join(PROJECT_ROOT, "test/results/save-run-at.mjs"), resultsDir, runFile, `20261126T10000${p}Z-run`, "5", String(startAtMs)]),
    );
    const outputs = (await Promise.all(processes)).map((p) => p.stdout.trim());
    expect(outputs).toEqual(Array(6).fill("saved"));
    const db = openStore(resultsDir);
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM runs").get()).toEqual({ n: 30 });
      expect(db.prepare("SELECT COUNT(*) AS n FROM performance_samples").get()).toEqual({ n: 30 * 20 });
      // Each migration applied once, by one of them.
      expect(db.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()).toEqual({ n: MIGRATIONS.length });
    } finally {
      db.close();
    }
  });
});
