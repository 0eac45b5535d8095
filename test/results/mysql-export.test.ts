// --mysql-export against a real MariaDB server (installed and started by
// scripts/setup.sh, which `npm test` and .ci/run run first), over TCP on
// 127.0.0.1 with a password.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/results/store/migrations/migrations.js";
import { runCli } from "../helpers/cli.js";
import { connectTestMariadb, TEST_MARIADB, testDatabaseName } from "../helpers/mariadb.js";
import { TEST_CACHE_DIR } from "../paths.js";
import { exportRunToMysql } from "../../src/results/store/mysql-export.js";
import { MysqlServerError } from "../../src/results/store/mysql-store.js";
import { maskUrl, MysqlConfigError, resolveMysqlTarget, type MysqlTarget } from "../../src/results/store/mysql-target.js";
import { SqliteStore } from "../../src/results/store/sqlite-store.js";
import { communityStoredRun, performanceStoredRun } from "../../src/results/store/stored-run.js";
import type { PerformanceRun } from "../../src/results/schema.js";
import { communityReport, noisy, seededRandom, syntheticCommunityRun, syntheticPerformanceRun } from "./fixtures.js";

const SERVER = TEST_MARIADB;
const DATABASE = testDatabaseName("");
const target: MysqlTarget = { ...SERVER, database: DATABASE };
const dbUrl = `mysql://${SERVER.user}:${SERVER.password}@${SERVER.host}:${SERVER.port}/${DATABASE}`;

let admin: mysql.Connection;
let resultsDir: string;

beforeAll(async () => {
  admin = await connectTestMariadb();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.query(`USE ${DATABASE}`);
  resultsDir = await mkdtemp(path.join(os.tmpdir(), "mysql-export-"));
});
afterAll(async () => {
  await admin?.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin?.end();
  if (resultsDir) await rm(resultsDir, { recursive: true, force: true });
});

async function count(table: string, runId: string): Promise<number> {
  const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`, [runId]);
  return Number((rows as Array<{ n: number }>)[0]!.n);
}

const random = seededRandom(5);
const performance = syntheticPerformanceRun("20261126T120000Z-5151", "2026-11-26T12:00:00.000Z", [
  { target: "null", vmm: "qemu-microvm", bootMs: noisy(random, 6, 3, 1) },
  { target: "null", vmm: "qemu", bootMs: noisy(random, 6, 8, 1) },
]);

describe("MySQL export (MariaDB)", () => {
  it("writes a performance run and a community run into the tables, and again without duplicates", async () => {
    const community = syntheticCommunityRun("20261126T120500Z-c0c0", [communityReport("cloudius-systems", "osv", 3910)]);
    for (let round = 0; round < 2; round++) {
      await exportRunToMysql(target, performanceStoredRun(performance));
      await exportRunToMysql(target, communityStoredRun(community));
    }
    expect(await count("runs", performance.runId)).toBe(1);
    expect(await count("performance_targets", performance.runId)).toBe(2);
    expect(await count("performance_samples", performance.runId)).toBe(12);
    const [samples] = await admin.query("SELECT boot_ns FROM performance_samples WHERE run_id = ? AND vmm = 'qemu' ORDER BY iteration_index", [performance.runId]);
    expect((samples as Array<{ boot_ns: number }>).map((s) => s.boot_ns)).toEqual(performance.results[1]!.iterations.map((i) => i.bootNs));
    const [repos] = await admin.query("SELECT r.star_number, p.merged_pull_request_number, i.median_time_to_close_hours, d.has_wiki FROM repository r JOIN pull_requests p USING (run_id, owner, repo) JOIN issues i USING (run_id, owner, repo) JOIN community_documents d USING (run_id, owner, repo) WHERE r.run_id = ?", [community.runId]);
    expect(repos).toEqual([{ star_number: 3910, merged_pull_request_number: 60, median_time_to_close_hours: 70.25, has_wiki: 1 }]);
    const [document] = await admin.query("SELECT document FROM runs WHERE run_id = ?", [performance.runId]);
    expect(JSON.parse((document as Array<{ document: string }>)[0]!.document)).toEqual(performance);
  });

  it("applies the migrations once: exporting again leaves the schema and schema_migrations as they were", async () => {
    const schema = async () => (await admin.query("SELECT table_name, column_name, column_type FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position", [DATABASE]))[0];
    const migrations = async () => (await admin.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"))[0];
    await exportRunToMysql(target, performanceStoredRun(performance));
    const [before, appliedBefore] = [await schema(), await migrations()];
    expect((appliedBefore as Array<{ version: number }>).map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await exportRunToMysql(target, performanceStoredRun(performance));
    expect(await schema()).toEqual(before);
    expect(await migrations()).toEqual(appliedBefore);
  });

  it("keeps nothing of a run when a sample row violates a constraint in the middle of the write", async () => {
    const broken = structuredClone(performance) as PerformanceRun;
    broken.runId = "20261126T130000Z-bad1";
    // The fourth sample of the second target: rows for the first target are already written by then.
    broken.results[1]!.iterations[3]!.bootNs = -1;
    const failing = exportRunToMysql(target, performanceStoredRun(broken));
    await expect(failing).rejects.toThrow(MysqlServerError);
    await expect(failing).rejects.toThrow(/nothing of it was kept.*CONSTRAINT `performance_samples.boot_ns` failed/);
    for (const table of ["runs", "performance_targets", "performance_samples"]) expect(await count(table, broken.runId)).toBe(0);
  });

  it("keeps the earlier copy of a run when writing it again fails part-way", async () => {
    await exportRunToMysql(target, performanceStoredRun(performance));
    const failing = exportRunToMysql(target, performanceStoredRun(performance), {
      beforeRow: (table, index) => {
        if (table === "performance_samples" && index > 8) throw new Error("connection dropped (simulated)");
      },
    });
    await expect(failing).rejects.toThrow("connection dropped (simulated)");
    expect(await count("performance_samples", performance.runId)).toBe(12);
  });

  it("names a wrong password without printing it", async () => {
    const wrong = { ...target, password: "not-the-password-42" };
    const error = await exportRunToMysql(wrong, performanceStoredRun(performance)).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(MysqlServerError);
    expect(error!.message).toMatch(/could not connect to the MySQL server benchmark_test@127\.0\.0\.1:3306\/benchmark_test_.*Access denied/);
    expect(error!.message).not.toContain("not-the-password-42");
  });
});

describe("MySQL settings", () => {
  it("takes the original's variables, with --db-url winning", () => {
    const env = { MYSQL_ADDRESS: "db.example", MYSQL_USER: "u", MYSQL_PASSWORD: "p", MYSQL_DATABASE: "bench" };
    expect(resolveMysqlTarget(undefined, env)).toEqual({ host: "db.example", port: 3306, user: "u", password: "p", database: "bench" });
    expect(resolveMysqlTarget(undefined, { ...env, MYSQL_PORT: "3307" }).port).toBe(3307);
    expect(resolveMysqlTarget("mysql://a:b%40c@h:1234/d", env)).toEqual({ host: "h", port: 1234, user: "a", password: "b@c", database: "d" });
    expect(() => resolveMysqlTarget(undefined, { MYSQL_ADDRESS: "x" })).toThrow("--mysql-export needs MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE to be set");
    expect(() => resolveMysqlTarget("postgres://a:b@h/d")).toThrow(MysqlConfigError);
  });

  it("masks the password of any URL it prints", () => {
    expect(maskUrl("mysql://user:secret@host:3306/db")).toBe("mysql://user:****@host:3306/db");
    expect(maskUrl("mysql://user:sec ret@host:3306/db")).not.toContain("sec");
    expect(() => resolveMysqlTarget("mysql://user:secret@host:port/db")).toThrow(/^(?!.*secret)/s);
  });
});

describe("performance --mysql-export through the CLI", () => {
  const perfArgs = ["performance", "null:qemu-microvm", "--accel", "tcg", "-n", "3", "-w", "0", "--output", "json", "--cache-dir", TEST_CACHE_DIR];

  it("exports the run to the server named by the MYSQL_* variables", async () => {
    const env = { MYSQL_ADDRESS: SERVER.host, MYSQL_PORT: String(SERVER.port), MYSQL_USER: SERVER.user, MYSQL_PASSWORD: SERVER.password, MYSQL_DATABASE: DATABASE };
    const result = await runCli([...perfArgs, "--results-dir", resultsDir, "--mysql-export"], env);
    expect(result.stderr).toMatch(/Run \S+ exported to MySQL benchmark_test@127\.0\.0\.1:3306\//);
    expect(result.code).toBe(0);
    const runId = (JSON.parse(result.stdout) as PerformanceRun).runId;
    expect(await count("performance_samples", runId)).toBe(3);
    expect(result.stderr).not.toContain(SERVER.password);
  });

  it("with a wrong password or no server: a clear message without the password, the run kept locally, exit 1", async () => {
    for (const url of [`mysql://${SERVER.user}:wrong-password-77@127.0.0.1:${SERVER.port}/${DATABASE}`, `mysql://${SERVER.user}:wrong-password-77@127.0.0.1:1/${DATABASE}`]) {
      const dir = await mkdtemp(path.join(os.tmpdir(), "mysql-export-fail-"));
      try {
        const result = await runCli([...perfArgs, "--results-dir", dir, "--db-url", url]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/ERRO\[.*\] MySQL export failed: could not connect to the MySQL server benchmark_test@127\.0\.0\.1:\d+\/benchmark_test_\w+: .*(Access denied|ECONNREFUSED)/);
        expect(result.stderr).toContain("The run is still saved locally");
        expect(result.stderr).not.toContain("wrong-password-77");
        const runId = (JSON.parse(result.stdout) as PerformanceRun).runId;
        expect(await readdir(path.join(dir, "performance"))).toEqual([`${runId}.json`]);
        const store = await SqliteStore.open(dir);
        expect((await store.list()).map((r) => r.runId)).toEqual([runId]);
        store.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });

  it("refuses incomplete settings before measuring anything (exit 2)", async () => {
    const result = await runCli([...perfArgs, "--results-dir", resultsDir, "--mysql-export"], { MYSQL_ADDRESS: "", MYSQL_USER: "", MYSQL_PASSWORD: "", MYSQL_DATABASE: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--mysql-export needs MYSQL_ADDRESS, MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE to be set");
  });
});
