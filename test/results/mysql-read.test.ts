// history, compare, report and export reading a shared MariaDB (real server,
// as in mysql-export.test.ts): runs exported from two results directories with
// different host fingerprints are listed side by side with their hosts and
// labels, filtered, compared with a warning about the hosts, and reported; no
// output ever contains the password.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/results/store/migrations/migrations.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { connectTestMariadb, TEST_MARIADB, testDatabaseName } from "../helpers/mariadb.js";
import { exportRunToMysql } from "../../src/results/store/mysql-export.js";
import type { RunListing } from "../../src/results/store/run-store.js";
import { writePerformanceRun } from "../../src/results/store/run-files.js";
import { performanceStoredRun } from "../../src/results/store/stored-run.js";
import { noisy, seededRandom, syntheticPerformanceRun } from "./fixtures.js";

const SERVER = TEST_MARIADB;
const DATABASE = testDatabaseName("read_");
/** A database laid out as before labels and host columns, to be upgraded by reading it. */
const OLD_DATABASE = testDatabaseName("old_");
const urlOf = (database: string, password = SERVER.password): string => `mysql://${SERVER.user}:${password}@${SERVER.host}:${SERVER.port}/${database}`;
const dbUrl = urlOf(DATABASE);
const mysqlEnv = { MYSQL_ADDRESS: SERVER.host, MYSQL_PORT: String(SERVER.port), MYSQL_USER: SERVER.user, MYSQL_PASSWORD: SERVER.password, MYSQL_DATABASE: DATABASE };

const intelHost = { hostname: "runner-intel-1", cpuModel: "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz", cores: 4, kernel: "6.8.0-1014-azure" };
const amdHost = { hostname: "runner-amd-7", cpuModel: "AMD EPYC 7763 64-Core Processor", cores: 4, kernel: "6.8.0-1014-azure" };
const random = seededRandom(17);
const boot = noisy(random, 12, 20, 0.2);
const common = { runMs: noisy(random, 12, 40, 0.2), peakMiB: noisy(random, 12, 60, 0.1) };
const baseline = syntheticPerformanceRun("20261127T080000Z-a111", "2026-11-27T08:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: boot, ...common }], {
  host: intelHost,
  labels: ["baseline", "runner=intel"],
});
const olderIntel = syntheticPerformanceRun("20261126T080000Z-a000", "2026-11-26T08:00:00.000Z", [{ target: "linux", vmm: "qemu", bootMs: noisy(random, 12, 400, 5) }], { host: intelHost });
const pullRequest = syntheticPerformanceRun("20261127T090000Z-b222", "2026-11-27T09:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: boot.map((x) => x * 1.5), accel: "kvm", ...common }], {
  host: amdHost,
  labels: ["pr-7", "runner=amd"],
});

let admin: mysql.Connection;
let intelDir: string;
let amdDir: string;
const outputs: CliResult[] = [];

/** Runs the CLI and keeps what it printed, to check for the password at the end. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const result = await runCli(args, env);
  outputs.push(result);
  return result;
}

beforeAll(async () => {
  admin = await connectTestMariadb();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${OLD_DATABASE}`);
  intelDir = await mkdtemp(path.join(os.tmpdir(), "mysql-read-intel-"));
  amdDir = await mkdtemp(path.join(os.tmpdir(), "mysql-read-amd-"));
  // Each results directory holds the runs of its host, as performance saved them.
  for (const run of [olderIntel, baseline]) await writePerformanceRun(intelDir, run);
  await writePerformanceRun(amdDir, pullRequest);
  for (const [dir, run] of [[intelDir, olderIntel], [intelDir, baseline], [amdDir, pullRequest]] as const) {
    const result = await cli(["export", run.runId, "--mysql-export", "--db-url", dbUrl, "--results-dir", dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Run ${run.runId} exported to MySQL benchmark_test@127.0.0.1:3306/${DATABASE}`);
  }
});
afterAll(async () => {
  await admin?.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin?.query(`DROP DATABASE IF EXISTS ${OLD_DATABASE}`);
  await admin?.end();
  for (const dir of [intelDir, amdDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe("reading runs from MariaDB", () => {
  it("history --db-url lists the runs of both hosts, newest first, with host and labels", async () => {
    const result = await cli(["history", "--db-url", dbUrl], { COLUMNS: "400" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Reading runs from MySQL benchmark_test@127.0.0.1:3306/${DATABASE}`);
    const [header, , ...lines] = result.stdout.trimEnd().split("\n");
    expect(header).toMatch(/^Run +Kind +Started \(UTC\) +Host +CPU +Kernel +VMM +Accel +Labels +What$/);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([pullRequest.runId, baseline.runId, olderIntel.runId]);
    expect(lines[0]).toMatch(/runner-amd-7 +4× AMD EPYC 7763 64-Core Processor +6\.8\.0-1014-azure +QEMU 7\.2\.0 \(Debian 1:7\.2\+dfsg-7\+deb12u6\) +kvm +pr-7, runner=amd +null:qemu; n=12$/);
    expect(lines[1]).toMatch(/runner-intel-1 +4× Intel\(R\) Xeon\(R\) Platinum 8370C CPU @ 2\.80GHz +6\.8\.0-1014-azure +QEMU 7\.2\.0 .* +tcg +baseline, runner=intel +null:qemu; n=12$/);

    const json = await cli(["history", "--db-url", dbUrl, "--output", "json"]);
    const listed = JSON.parse(json.stdout) as RunListing[];
    expect(listed[0]).toMatchObject({ runId: pullRequest.runId, labels: ["pr-7", "runner=amd"], host: { name: "runner-amd-7", cpuModel: amdHost.cpuModel, cores: 4, accels: ["kvm"] } });
  });

  it("filters by --host, --label, --target, --since and --limit on the server", async () => {
    const ids = async (...args: string[]): Promise<string[]> => {
      const result = await cli(["history", "--db-url", dbUrl, "--output", "json", ...args]);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as RunListing[]).map((r) => r.runId);
    };
    expect(await ids("--host", "epyc")).toEqual([pullRequest.runId]);
    expect(await ids("--host", "runner-intel")).toEqual([baseline.runId, olderIntel.runId]);
    expect(await ids("--label", "baseline")).toEqual([baseline.runId]);
    expect(await ids("--label", "runner=amd", "--host", "intel")).toEqual([]);
    expect(await ids("--target", "linux")).toEqual([olderIntel.runId]);
    expect(await ids("--since", "2026-11-27")).toEqual([pullRequest.runId, baseline.runId]);
    expect(await ids("--limit", "1")).toEqual([pullRequest.runId]);
    const none = await cli(["history", "--db-url", dbUrl, "--label", "nothing-has-this"]);
    expect(none.stderr).toContain("No stored run matches these filters.");
  });

  it("reads the server named by the MYSQL_* variables; an explicit --results-dir reads that directory instead", async () => {
    const fromServer = await cli(["history", "--output", "json"], mysqlEnv);
    expect(fromServer.code, fromServer.stderr).toBe(0);
    expect((JSON.parse(fromServer.stdout) as RunListing[]).map((r) => r.runId)).toEqual([pullRequest.runId, baseline.runId, olderIntel.runId]);
    const local = await cli(["history", "--output", "json", "--results-dir", amdDir], mysqlEnv);
    expect((JSON.parse(local.stdout) as RunListing[]).map((r) => r.runId)).toEqual([pullRequest.runId]);
    expect(local.stderr).not.toContain("Reading runs from MySQL");
  });

  it("compares runs by label across hosts: the regression gate fails and the hosts' differences are named", async () => {
    const result = await cli(["compare", "baseline", "pr-7", "--db-url", dbUrl, "--fail-on-regression", "10"]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`A = ${baseline.runId} (baseline, runner=intel), B = ${pullRequest.runId} (pr-7, runner=amd)`);
    expect(result.stderr).toContain(`Warning: A and B were measured on different hosts or configurations: CPU model (A: ${intelHost.cpuModel}; B: ${amdHost.cpuModel}), accelerator (A: tcg; B: kvm).`);
    expect(result.stderr).toMatch(/Regression: null on qemu, Time to boot: .* \(\+50\.0%, p < 0\.001\)/);
  });

  it("reports and exports runs read from the server", async () => {
    const file = path.join(intelDir, "cross-host.html");
    const report = await cli(["report", "baseline", "pr-7", "--db-url", dbUrl, "-o", file]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stderr).toContain(`Report of ${baseline.runId}, ${pullRequest.runId} written to ${file}`);
    const html = await readFile(file, "utf8");
    expect(html).toContain(`performance run <code>${pullRequest.runId}</code>`);
    expect(html).toContain("runner-amd-7: AMD EPYC 7763 64-Core Processor, 4 cores, 6.8.0-1014-azure; labels <code>pr-7</code>, <code>runner=amd</code>");
    expect(html).toContain("runner-intel-1: Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz");
    const exported = await cli(["export", "pr-7", "--db-url", dbUrl]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(pullRequest);
    const unknown = await cli(["export", "no-such-label", "--db-url", dbUrl]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`no run or label "no-such-label" in MySQL benchmark_test@127.0.0.1:3306/${DATABASE}`);
  });

  it("upgrades a database written before labels and host columns when reading it, with each run's host from its document", async () => {
    await exportRunToMysql({ ...SERVER, database: OLD_DATABASE }, performanceStoredRun(baseline));
    await admin.query(`USE ${OLD_DATABASE}`);
    await admin.query("DROP TABLE run_labels");
    await admin.query("ALTER TABLE runs DROP COLUMN host_name, DROP COLUMN cpu_model, DROP COLUMN cpu_cores, DROP COLUMN kernel");
    await admin.query("DELETE FROM schema_migrations WHERE version = 3");
    const result = await cli(["history", "--db-url", urlOf(OLD_DATABASE), "--output", "json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([expect.objectContaining({ runId: baseline.runId, labels: [], host: { name: "runner-intel-1", cpuModel: intelHost.cpuModel, cores: 4, kernel: intelHost.kernel, vmmVersions: ["QEMU 7.2.0 (Debian 1:7.2+dfsg-7+deb12u6)"], accels: ["tcg"] } })]);
    const [versions] = await admin.query("SELECT version FROM schema_migrations ORDER BY version");
    expect((versions as Array<{ version: number }>).map((v) => v.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("says so when the server refuses the credentials, without the password (exit 1)", async () => {
    const result = await cli(["history", "--db-url", urlOf(DATABASE, "wrong-password-91")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not connect to the MySQL server benchmark_test@127\.0\.0\.1:3306\/benchmark_test_read_\w+: .*Access denied/);
    expect(result.stderr + result.stdout).not.toContain("wrong-password-91");
  });

  it("never printed the password", () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const { stdout, stderr } of outputs) expect(stdout + stderr).not.toContain(SERVER.password);
  });
});
