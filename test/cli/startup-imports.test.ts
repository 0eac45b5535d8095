// What each quick command loads: --version no subcommand at all, --help only
// the subcommands' definitions, history and export only the store and their
// renderers (history from a MySQL server: its driver instead of SQLite's),
// never another subcommand's dependencies (Docker client, SQL drivers, charts,
// octokit) nor zod. Their speed is measured by
// bench/cli-startup.ts; this keeps the imports that make it from creeping back.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCommunityRun, writePerformanceRun } from "../../src/results/store/run-files.js";
import { communityReport, noisy, seededRandom, syntheticCommunityRun, syntheticPerformanceRun } from "../results/fixtures.js";
import { CLI_PATH, PROJECT_ROOT } from "../paths.js";

const TRACE = path.join(path.dirname(fileURLToPath(import.meta.url)), "trace-imports.mjs");

interface Loaded {
  code: number;
  /** Packages from node_modules, by name. */
  packages: Set<string>;
  /** The tool's own modules, as paths under dist/. */
  own: Set<string>;
}

function loadedBy(args: string[]): Promise<Loaded> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", TRACE, CLI_PATH, ...args], { timeout: 30_000 }, (error, _stdout, stderr) => {
      const urls = stderr.split("\n").flatMap((line) => (line.startsWith("module-loaded ") ? [line.slice("module-loaded ".length)] : []));
      const files = urls.map((url) => path.relative(PROJECT_ROOT, fileURLToPath(url)));
      const packages = new Set(files.flatMap((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.slice(1) ?? []));
      const own = new Set(files.filter((f) => f.startsWith("dist/")).map((f) => f.slice("dist/".length)));
      resolve({ code: error ? Number(error.code) : 0, packages, own });
    });
  });
}

const DEFINITIONS = ["performance", "community", "targets", "history", "compare", "report", "export"].map((name) => `cli/${name}.js`);

let resultsDir: string;
beforeAll(async () => {
  resultsDir = await mkdtemp(path.join(os.tmpdir(), "startup-imports-"));
  const random = seededRandom(5);
  await writePerformanceRun(resultsDir, syntheticPerformanceRun("20261126T151541Z-4c6f", "2026-11-26T15:15:41.000Z", [{ target: "null", vmm: "qemu", bootMs: noisy(random, 5, 3, 1) }]));
  await writeCommunityRun(resultsDir, syntheticCommunityRun("20261126T100000Z-beef", [communityReport("cloudius-systems", "osv", 3910)]));
  // The first read imports the JSON files into the store; the runs below read the store as a script's loop would.
  await loadedBy(["history", "--results-dir", resultsDir]);
});
afterAll(() => rm(resultsDir, { recursive: true, force: true }));

describe("CLI start-up imports", () => {
  it("--version loads no subcommand", async () => {
    const loaded = await loadedBy(["--version"]);
    expect(loaded.code).toBe(0);
    // commander comes bundled (dist/vendor/commander.js): no package is read from node_modules.
    expect([...loaded.packages]).toEqual([]);
    expect(loaded.own.has("vendor/commander.js")).toBe(true);
    expect(DEFINITIONS.filter((d) => loaded.own.has(d))).toEqual([]);
  });

  it("--help loads every subcommand's definition and none of their work", async () => {
    const loaded = await loadedBy(["--help"]);
    expect(loaded.code).toBe(0);
    expect([...loaded.packages]).toEqual([]);
    expect(DEFINITIONS.filter((d) => !loaded.own.has(d))).toEqual([]);
    expect([...loaded.own].filter((f) => f.startsWith("cli/actions/"))).toEqual([]);
  });

  it.each([
    ["history", ["history"], ["better-sqlite3"]],
    ["export of a performance run", ["export", "20261126T15"], ["better-sqlite3", "csv-stringify"]],
    ["export of a community run as CSV", ["export", "20261126T10", "--format", "csv"], ["better-sqlite3", "csv-stringify"]],
  ])("%s loads only the store and its renderers", async (_name, args, packages) => {
    const loaded = await loadedBy([...args, "--results-dir", resultsDir]);
    expect(loaded.code).toBe(0);
    expect([...loaded.packages].sort()).toEqual(packages);
    expect(DEFINITIONS.filter((d) => loaded.own.has(d))).toEqual([`cli/${args[0]}.js`]);
  });

  it("community sends its first requests with only octokit and the query texts loaded", async () => {
    // Refused after the action's own imports are loaded and before any request: what the first requests go out with.
    const loaded = await loadedBy(["community", "acme/tiny", "--since", "last week", "--api-url", "http://127.0.0.1:1", "--results-dir", resultsDir]);
    expect(loaded.code).toBe(2);
    // octokit and Bottleneck come as one bundled module, loaded before the first request; none of their packages is read.
    expect(loaded.own.has("vendor/github.js")).toBe(true);
    expect([...loaded.packages].filter((p) => p.startsWith("@octokit/") || p === "bottleneck")).toEqual([]);
    expect(["zod", "better-sqlite3", "csv-stringify", "simple-statistics", "mysql2"].filter((p) => loaded.packages.has(p))).toEqual([]);
    // zod and the answer schemas, the paging, the metrics, the renderers and the store load once the first requests are out.
    expect([...loaded.own].filter((f) => /^community\/(collect|metrics|types|results-store)\.js$|^community\/queries\/.*-answers?\.js$|^cli\/actions\/community-results\.js$/.test(f))).toEqual([]);
  });

  it("history from a MySQL server loads its driver and not SQLite's", async () => {
    // Nothing listens on port 1: the command fails to connect, after loading what it reads with.
    const loaded = await loadedBy(["history", "--db-url", "mysql://reader:secret@127.0.0.1:1/runs"]);
    expect(loaded.code).toBe(1);
    expect(loaded.packages.has("mysql2")).toBe(true);
    expect(loaded.packages.has("better-sqlite3")).toBe(false);
    expect(loaded.packages.has("zod")).toBe(false);
  });
});
