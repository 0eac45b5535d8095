// The local SQLite store: a full run in and out unchanged, migrations applied
// twice change nothing, run references, all-or-nothing writes, and documents
// of another schema version refused when read back.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importJsonFiles } from "../../src/results/store/import-json-files.js";
import { writeCommunityRun, writePerformanceRun } from "../../src/results/store/run-files.js";
import { migrate } from "../../src/results/store/migrations/migrate.js";
import { MIGRATIONS } from "../../src/results/store/migrations/migrations.js";
import { RunNotFoundError } from "../../src/results/store/run-store.js";
import { DATABASE_FILE, SqliteStore } from "../../src/results/store/sqlite-store.js";
import { communityStoredRun, performanceStoredRun } from "../../src/results/store/stored-run.js";
import { communityReport, noisy, seededRandom, syntheticCommunityRun, syntheticPerformanceRun } from "./fixtures.js";

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "sqlite-store-"));
  store = await SqliteStore.open(dir);
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

const random = seededRandom(3);
const performance = syntheticPerformanceRun("20261126T151541Z-4c6f", "2026-11-26T15:15:41.000Z", [
  { target: "null", vmm: "qemu-microvm", bootMs: noisy(random, 10, 3, 1) },
  { target: "linux", vmm: "qemu", bootMs: noisy(random, 10, 300, 20), imageBytes: 9_000_000 },
  {
    target: "osv",
    vmm: "qemu",
    bootMs: noisy(random, 10, 150, 5),
    serving: { firstAnswerMs: noisy(random, 10, 700, 20), requestsPerSecond: noisy(random, 10, 5800, 50), p99Ms: noisy(random, 10, 4, 1) },
  },
]);
const community = syntheticCommunityRun("20261126T100000Z-beef", [communityReport("cloudius-systems", "osv", 3910), communityReport("unikraft", "unikraft", 1500)]);

describe("SqliteStore", () => {
  it("gives back a full performance run and a community run exactly as saved, with their rows", async () => {
    await store.save(performanceStoredRun(performance));
    await store.save(communityStoredRun(community));
    expect(await store.load(performance.runId)).toEqual({ kind: "performance", runId: performance.runId, document: performance });
    expect(await store.load(community.runId!)).toEqual({ kind: "community", runId: community.runId, document: community });

    const raw = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    try {
      const samples = raw.prepare("SELECT target, boot_ns FROM performance_samples WHERE run_id = ? ORDER BY target, iteration_index").all(performance.runId) as Array<{ target: string; boot_ns: number }>;
      expect(samples).toHaveLength(30);
      // A server's figures in a row of their own per iteration (migration 5).
      const serving = raw.prepare("SELECT requests_per_second, first_answer_ns, served_by_guest FROM performance_serving_samples WHERE target = 'osv' ORDER BY iteration_index").all();
      expect(serving).toEqual(
        performance.results[2]!.iterations.map((i) => ({ requests_per_second: i.serving!.load.requestsPerSecond, first_answer_ns: i.serving!.firstAnswerNs, served_by_guest: i.serving!.servedByGuest })),
      );
      expect(samples.filter((s) => s.target === "null").map((s) => s.boot_ns)).toEqual(performance.results[0]!.iterations.map((i) => i.bootNs));
      expect(raw.prepare("SELECT image_size_bytes FROM performance_targets WHERE target = 'linux'").get()).toEqual({ image_size_bytes: 9_000_000 });
      expect(raw.prepare("SELECT owner, repo, star_number FROM repository ORDER BY star_number DESC").all()).toEqual([
        { owner: "cloudius-systems", repo: "osv", star_number: 3910 },
        { owner: "unikraft", repo: "unikraft", star_number: 1500 },
      ]);
      expect(raw.prepare("SELECT COUNT(*) AS n FROM pull_requests").get()).toEqual({ n: 2 });
      expect(raw.prepare("SELECT has_contributing, health_percentage FROM community_documents WHERE repo = 'osv'").get()).toEqual({ has_contributing: 1, health_percentage: 62 });
    } finally {
      raw.close();
    }
  });

  it("refuses to read back a document of another schema version, saying which", async () => {
    await store.save(performanceStoredRun(performance));
    const raw = new Database(path.join(dir, DATABASE_FILE));
    try {
      raw.prepare("UPDATE runs SET document = json_set(document, '$.schemaVersion', 2) WHERE run_id = ?").run(performance.runId);
    } finally {
      raw.close();
    }
    await expect(store.load(performance.runId)).rejects.toThrow(
      `run ${performance.runId} is stored as a performance document of schema version 2; this benchmark-tool reads performance documents of version 1`,
    );
  });

  it("replaces a run saved twice instead of duplicating it", async () => {
    await store.save(performanceStoredRun(performance));
    await store.save(performanceStoredRun(performance));
    expect(await store.list()).toHaveLength(1);
    const n = await store.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM performance_samples");
    expect(n[0]!.n).toBe(30);
    const serving = await store.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM performance_serving_samples");
    expect(serving[0]!.n).toBe(10);
  });

  it("applies the migrations once: running them again changes nothing", async () => {
    const schema = () => store.db.query("SELECT type, name, sql FROM sqlite_master ORDER BY name");
    const before = await schema();
    const applied = await store.db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
    expect(applied.map((m) => (m as { version: number }).version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(store.db)).toEqual([]);
    expect(await schema()).toEqual(before);
    expect(await store.db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")).toEqual(applied);
    // And reopening the file does not apply them again either.
    store.close();
    store = await SqliteStore.open(dir);
    expect(await schema()).toEqual(before);
  });

  it("upgrades a database that has only the first migration", async () => {
    const other = path.join(dir, "old");
    const older = await SqliteStore.open(other);
    older.close();
    const raw = new Database(path.join(other, DATABASE_FILE));
    raw.exec("DROP TABLE performance_samples; DROP TABLE performance_targets; DELETE FROM schema_migrations WHERE version = 2;");
    raw.close();
    const upgraded = await SqliteStore.open(other);
    try {
      await upgraded.save(performanceStoredRun(performance));
      expect(await upgraded.list()).toHaveLength(1);
    } finally {
      upgraded.close();
    }
  });

  it("resolves ids, unique prefixes and latest, and says what is wrong otherwise", async () => {
    const later = syntheticPerformanceRun("20261126T160000Z-0001", "2026-11-26T16:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: [1, 2] }]);
    await store.save(performanceStoredRun(performance));
    await store.save(performanceStoredRun(later));
    await store.save(communityStoredRun(community));
    expect((await store.list()).map((r) => r.runId)).toEqual([later.runId, performance.runId, community.runId]);
    expect(await store.resolve("latest")).toBe(later.runId);
    expect(await store.resolve("latest", "community")).toBe(community.runId);
    expect(await store.resolve("20261126T15")).toBe(performance.runId);
    await expect(store.resolve("20261126T1")).rejects.toThrow(/matches 3 runs/);
    await expect(store.resolve("nope")).rejects.toThrow(RunNotFoundError);
    expect((await store.list())[0]!.description).toBe("null:qemu; n=2");
    expect((await store.list({ kind: "community" }))[0]!.description).toBe("cloudius-systems/osv, unikraft/unikraft");
  });

  it("keeps nothing of a run whose write fails part-way", async () => {
    const failing = store.save(performanceStoredRun(performance), {
      beforeRow: (table, index) => {
        if (table === "performance_samples" && index > 5) throw new Error("disk on fire");
      },
    });
    await expect(failing).rejects.toThrow("disk on fire");
    for (const table of ["runs", "performance_targets", "performance_samples"]) {
      expect(await store.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }
  });

  it("imports runs that only have their JSON file, once, and names the files it cannot read", async () => {
    await writePerformanceRun(dir, performance);
    const { runId: _, ...withoutId } = community;
    await writeCommunityRun(dir, withoutId);
    await writeFile(path.join(dir, "performance", "broken.json"), "{");
    const first = await importJsonFiles(store, dir);
    expect(first.imported).toHaveLength(2);
    expect(first.imported[0]).toBe(performance.runId);
    expect(first.imported[1]).toMatch(/^20261126T100000Z-[0-9a-f]{4}$/);
    expect(first.skipped).toEqual([expect.stringMatching(/broken\.json is not valid JSON, perhaps cut short while being written/)]);
    expect((await store.load(first.imported[1]!)).document).toMatchObject({ repositories: [{ report: { repo: "osv" } }, { report: { repo: "unikraft" } }] });
    expect((await importJsonFiles(store, dir)).imported).toEqual([]);
  });

  it("upgrades a database from before labels and host columns: its runs get their host from their documents", async () => {
    const other = path.join(dir, "before-labels");
    const older = await SqliteStore.open(other);
    await older.save(performanceStoredRun(performance));
    older.close();
    const raw = new Database(path.join(other, DATABASE_FILE));
    raw.exec(`DROP TABLE run_labels;
      ALTER TABLE runs DROP COLUMN host_name; ALTER TABLE runs DROP COLUMN cpu_model; ALTER TABLE runs DROP COLUMN cpu_cores; ALTER TABLE runs DROP COLUMN kernel;
      DELETE FROM schema_migrations WHERE version = 3;`);
    raw.close();
    const upgraded = await SqliteStore.open(other);
    try {
      const [listed] = await upgraded.list();
      expect(listed).toMatchObject({ runId: performance.runId, labels: [], host: { cpuModel: "Test CPU", cores: 2, kernel: "6.1.0", accels: ["tcg"] } });
      expect(listed!.host).not.toHaveProperty("name");
    } finally {
      upgraded.close();
    }
  });

  it("lists each run with its host and labels, and filters by target, VMM, host, label, start and count", async () => {
    const intel = { hostname: "runner-intel-1", cpuModel: "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz", cores: 4, kernel: "6.8.0-1014-azure" };
    const amd = { hostname: "runner-amd-7", cpuModel: "AMD EPYC 7763 64-Core Processor", cores: 4, kernel: "6.8.0-1014-azure" };
    const runs = [
      syntheticPerformanceRun("20261120T090000Z-0001", "2026-11-20T09:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: [1, 2] }], { host: intel, labels: ["baseline", "commit=aaaa111"] }),
      syntheticPerformanceRun("20261121T090000Z-0002", "2026-11-21T09:00:00.000Z", [{ target: "null", vmm: "qemu-microvm", bootMs: [1, 2], accel: "kvm" }], { host: amd, labels: ["baseline"] }),
      syntheticPerformanceRun("20261122T090000Z-0003", "2026-11-22T09:00:00.000Z", [{ target: "linux", vmm: "qemu", bootMs: [9, 9] }, { target: "null", vmm: "firecracker", bootMs: [1, 1], vmmVersion: "v1.7.0" }], { host: intel, labels: ["pr-7"] }),
    ];
    for (const run of runs) await store.save(performanceStoredRun(run));
    await store.save(communityStoredRun(community));
    const ids = async (filter: Parameters<typeof store.list>[0]) => (await store.list(filter)).map((r) => r.runId);

    const [newest] = await store.list({ kind: "performance", limit: 1 });
    expect(newest).toEqual({
      runId: runs[2]!.runId,
      kind: "performance",
      startedAt: "2026-11-22T09:00:00.000Z",
      description: "linux:qemu, null:firecracker; n=2",
      labels: ["pr-7"],
      host: { name: "runner-intel-1", cpuModel: intel.cpuModel, cores: 4, kernel: "6.8.0-1014-azure", vmmVersions: ["Firecracker v1.7.0", "QEMU 7.2.0 (Debian 1:7.2+dfsg-7+deb12u6)"], accels: ["tcg"] },
    });
    expect(await ids({ host: "AMD" })).toEqual([runs[1]!.runId]);
    expect(await ids({ host: "runner-intel" })).toEqual([runs[2]!.runId, runs[0]!.runId]);
    // % and _ in the text are taken literally, not as LIKE wildcards.
    expect(await ids({ host: "%" })).toEqual([]);
    expect(await ids({ labels: ["baseline"] })).toEqual([runs[1]!.runId, runs[0]!.runId]);
    expect(await ids({ labels: ["baseline", "commit=aaaa111"] })).toEqual([runs[0]!.runId]);
    expect(await ids({ labels: ["pr-7"] })).toEqual([runs[2]!.runId]);
    expect(await ids({ target: "null" })).toEqual(runs.map((r) => r.runId).reverse());
    expect(await ids({ vmm: "qemu" })).toEqual([runs[2]!.runId, runs[0]!.runId]);
    // Both on one pair: linux ran on qemu in run 3, null did not.
    expect(await ids({ target: "null", vmm: "qemu" })).toEqual([runs[0]!.runId]);
    expect(await ids({ since: "2026-11-21T00:00:00.000Z", kind: "performance" })).toEqual([runs[2]!.runId, runs[1]!.runId]);
    expect(await ids({ kind: "community" })).toEqual([community.runId]);
    expect((await store.list({ kind: "community" }))[0]).not.toHaveProperty("host");

    // A label names the newest run carrying it, wherever a run is named.
    expect(await store.resolve("baseline")).toBe(runs[1]!.runId);
    expect(await store.resolve("commit=aaaa111", "performance")).toBe(runs[0]!.runId);
    await expect(store.resolve("baseline", "community")).rejects.toThrow('no community run or label "baseline"');
  });

  it("reads a run saved before labels and host names, as saved", async () => {
    expect(performance).not.toHaveProperty("labels");
    expect(performance.host).not.toHaveProperty("hostname");
    await writePerformanceRun(dir, performance);
    expect((await importJsonFiles(store, dir)).imported).toEqual([performance.runId]);
    expect(await store.load(performance.runId)).toEqual(performanceStoredRun(performance));
    expect((await store.list())[0]).toMatchObject({ labels: [], host: { cpuModel: "Test CPU" } });
  });
});
