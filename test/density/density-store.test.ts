// Density runs in the local store and on MariaDB: a database from before the
// density kind is upgraded without losing a row of its performance runs, and a
// density run then goes in and comes back unchanged, listed with its host and
// labels. A density document of schema version 1 (milliseconds) reads as one
// of the current version (nanoseconds).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DensityRunSchema, type DensityRun } from "../../src/results/density-schema.js";
import { upgradeDensityDocument } from "../../src/results/density-upgrade.js";
import { DENSITY_SCHEMA_VERSION } from "../../src/results/schema-versions.js";
import { parseStoredRun } from "../../src/results/store/parse-stored-run.js";
import { readRunFile } from "../../src/results/store/run-files.js";
import { exportRunToMysql } from "../../src/results/store/mysql-export.js";
import { withMysqlStore } from "../../src/results/store/mysql-store.js";
import { DATABASE_FILE, SqliteStore } from "../../src/results/store/sqlite-store.js";
import { connectTestMariadb, TEST_MARIADB, testDatabaseName } from "../helpers/mariadb.js";
import { densityStoredRun, performanceStoredRun } from "../../src/results/store/stored-run.js";
import { noisy, seededRandom, syntheticPerformanceRun } from "../results/fixtures.js";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "density-store-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const performance = syntheticPerformanceRun(
  "20261126T151541Z-4c6f",
  "2026-11-26T15:15:41.000Z",
  [{ target: "null", vmm: "qemu-microvm", bootMs: noisy(seededRandom(3), 10, 3, 1) }],
  { labels: ["baseline"] },
);

/** A density run as the tool before schema version 2 kept it: the VMs' and rounds' times in milliseconds. */
const densityVersion1 = {
  schemaVersion: 1,
  kind: "density",
  runId: "20261127T100000Z-d3n5",
  startedAt: "2026-11-27T10:00:00.000Z",
  finishedAt: "2026-11-27T10:00:05.000Z",
  tool: { name: "benchmark-tool", version: "0.1.0" },
  host: performance.host,
  config: { targets: ["null:qemu-microvm"], accel: "tcg", vcpus: 1, workload: "hello", timeoutSeconds: 60, vms: [1, 2], rounds: 1, memoryMarginBytes: 2 ** 30 },
  labels: ["dense"],
  interrupted: false,
  leftOut: [],
  results: [
    {
      target: "null",
      vmm: "qemu-microvm",
      status: "ok",
      accel: "tcg",
      vcpus: 1,
      warnings: [],
      levels: [1, 2].map((vms) => ({
        vms,
        perVm: Array.from({ length: vms }, (_, vm) => ({ round: 1, vm, status: "ok", bootMs: 4 + vm, runMs: 5 + vm, rssBytes: 40 << 20, pssBytes: (40 << 20) / vms, ussBytes: 18 << 20 })),
        rounds: [{ round: 1, releaseSpreadMs: 0.05, allReadyMs: 4 + vms, memAvailableBeforeBytes: 2 ** 34, memAvailableWhileUpBytes: 2 ** 34 - vms * (20 << 20) }],
        summary: { vmsTotal: vms, failures: 0, bootMedianMs: 4, pssPerVmBytes: (40 << 20) / vms },
      })),
      largestFullLevel: 2,
    },
  ],
};
const density: DensityRun = DensityRunSchema.parse(upgradeDensityDocument(densityVersion1));

/** Turns the store under `dir` back into what the tool before the density kind left: runs' CHECK without it, migration 4 not applied. */
function asBeforeDensity(storeDir: string): void {
  const raw = new Database(path.join(storeDir, DATABASE_FILE));
  raw.pragma("foreign_keys = OFF");
  raw.exec(`BEGIN;
    CREATE TABLE runs_old (run_id VARCHAR(64) NOT NULL PRIMARY KEY, kind VARCHAR(16) NOT NULL CHECK (kind IN ('performance', 'community')),
      started_at VARCHAR(32) NOT NULL, finished_at VARCHAR(32) NOT NULL, description VARCHAR(2000) NOT NULL, document TEXT NOT NULL,
      host_name VARCHAR(255), cpu_model VARCHAR(255), cpu_cores INTEGER, kernel VARCHAR(255));
    INSERT INTO runs_old SELECT * FROM runs;
    DROP TABLE runs;
    ALTER TABLE runs_old RENAME TO runs;
    CREATE INDEX runs_started_at ON runs (started_at);
    DELETE FROM schema_migrations WHERE version = 4;
    COMMIT;`);
  raw.close();
}

function rowCounts(storeDir: string): Record<string, number> {
  const raw = new Database(path.join(storeDir, DATABASE_FILE), { readonly: true });
  try {
    const count = (table: string): number => (raw.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { runs: count("runs"), targets: count("performance_targets"), samples: count("performance_samples"), labels: count("run_labels") };
  } finally {
    raw.close();
  }
}

describe("density runs in the SQLite store", () => {
  it("upgrades a store from before the density kind, keeping every row of its runs, and then takes density runs", async () => {
    const first = await SqliteStore.open(dir);
    await first.save(performanceStoredRun(performance));
    first.close();
    asBeforeDensity(dir);
    const before = rowCounts(dir);
    expect(before).toEqual({ runs: 1, targets: 1, samples: 10, labels: 1 });

    const store = await SqliteStore.open(dir);
    try {
      expect(rowCounts(dir)).toEqual(before);
      // Foreign keys still cascade to the rebuilt table: saving the run again replaces its rows.
      await store.save(performanceStoredRun(performance));
      expect(rowCounts(dir)).toEqual(before);

      await store.save(densityStoredRun(density));
      expect(await store.load(density.runId)).toEqual(densityStoredRun(density));
      const listed = await store.list({ kind: "density" });
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ runId: density.runId, kind: "density", labels: ["dense"], host: { cpuModel: "Test CPU" } });
      expect(listed[0]!.description).toBe("density null:qemu-microvm; vms=1,2");
      expect(await store.resolve("dense")).toBe(density.runId);
      expect((await store.list()).map((r) => r.kind)).toEqual(["density", "performance"]);
    } finally {
      store.close();
    }
  });
});

describe("density documents of schema version 1", () => {
  it("are read in nanoseconds, from their JSON file and from the store, everything else unchanged", async () => {
    expect(density.schemaVersion).toBe(DENSITY_SCHEMA_VERSION);
    const level = density.results[0]!.levels[1]!;
    expect(level.perVm[1]).toEqual({ round: 1, vm: 1, status: "ok", bootNs: 5e6, runNs: 6e6, rssBytes: 40 << 20, pssBytes: 20 << 20, ussBytes: 18 << 20 });
    expect(level.rounds[0]).toEqual({ round: 1, releaseSpreadNs: 50_000, allReadyNs: 6e6, memAvailableBeforeBytes: 2 ** 34, memAvailableWhileUpBytes: 2 ** 34 - 2 * (20 << 20) });
    expect(level.summary).toEqual(densityVersion1.results[0]!.levels[1]!.summary);

    const file = path.join(dir, "density", `${density.runId}.json`);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(densityVersion1));
    expect(await readRunFile(file, "density")).toEqual(density);
    expect(parseStoredRun("density", JSON.stringify(densityVersion1))).toEqual(densityStoredRun(density));
  });
});

describe("density runs on MariaDB", () => {
  it("upgrades a database from before the density kind, keeping every row and the foreign keys, and then takes density runs", async () => {
    const database = testDatabaseName("density_");
    const admin = await connectTestMariadb();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      const target = { ...TEST_MARIADB, database };
      await exportRunToMysql(target, performanceStoredRun(performance));
      await admin.query(`USE ${database}`);
      // As the tool before the density kind left it.
      await admin.query("ALTER TABLE runs MODIFY kind VARCHAR(16) NOT NULL CHECK (kind IN ('performance', 'community'))");
      await admin.query("DELETE FROM schema_migrations WHERE version = 4");
      const counts = async (): Promise<number[]> =>
        Promise.all(["runs", "performance_targets", "performance_samples", "run_labels"].map(async (t) => ((await admin.query(`SELECT COUNT(*) AS n FROM ${t}`))[0] as Array<{ n: number }>)[0]!.n));
      const before = await counts();
      expect(before).toEqual([1, 1, 10, 1]);

      await exportRunToMysql(target, densityStoredRun(density));
      expect(await counts()).toEqual([2, 1, 10, 2]);
      // The children still hang on the rebuilt table: exporting the performance run again replaces its rows.
      await exportRunToMysql(target, performanceStoredRun(performance));
      expect(await counts()).toEqual([2, 1, 10, 2]);
      const [references] = await admin.query(
        "SELECT table_name AS t FROM information_schema.referential_constraints WHERE constraint_schema = ? AND referenced_table_name = 'runs' ORDER BY table_name",
        [database],
      );
      expect((references as Array<{ t: string }>).map((r) => r.t)).toEqual(["performance_targets", "repository", "run_labels"]);
      await withMysqlStore(target, async (store) => {
        expect(await store.load(density.runId)).toEqual(densityStoredRun(density));
        expect((await store.list({ kind: "density" })).map((r) => r.runId)).toEqual([density.runId]);
      });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
    }
  });
});
