// The local store: an embedded SQLite database, <results-dir>/benchmark-tool.db,
// that indexes every run for history, compare and report. The JSON files
// beside it stay the versioned export.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations/migrate.js";
import type { SqlDatabase, SqlValue } from "./sql-database.js";
import { parseStoredRun } from "./parse-stored-run.js";
import type { StoredRun } from "./stored-run.js";
import { writeRun, type WriteHooks } from "./write-run.js";

export const DATABASE_FILE = "benchmark-tool.db";

export interface RunListing {
  runId: string;
  kind: "performance" | "community";
  startedAt: string;
  description: string;
}

/** A run reference that matches no run, or more than one. */
export class RunNotFoundError extends Error {
  override readonly name = "RunNotFoundError";
}

function sqliteDatabase(db: Database.Database): SqlDatabase {
  return {
    dialect: "sqlite",
    execute: async (sql, params = []) => {
      db.prepare(sql).run(...(params as SqlValue[]));
    },
    query: async <Row>(sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).all(...(params as SqlValue[])) as Row[],
    transaction: async (fn) => {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn();
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
  };
}

export class SqliteStore {
  private constructor(
    readonly file: string,
    private readonly raw: Database.Database,
    readonly db: SqlDatabase,
  ) {}

  /** Opens (creating it when missing) the store under resultsDir and brings its schema up to date. */
  static async open(resultsDir: string): Promise<SqliteStore> {
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, DATABASE_FILE);
    const raw = new Database(file);
    try {
      raw.pragma("journal_mode = WAL");
      raw.pragma("foreign_keys = ON");
      // Another benchmark-tool writing at the same time: wait rather than fail.
      raw.pragma("busy_timeout = 5000");
      const store = new SqliteStore(file, raw, sqliteDatabase(raw));
      await migrate(store.db);
      return store;
    } catch (error) {
      raw.close();
      throw error;
    }
  }

  async save(run: StoredRun, hooks?: WriteHooks): Promise<void> {
    await writeRun(this.db, run, hooks);
  }

  list(kind?: RunListing["kind"]): RunListing[] {
    const rows = this.raw
      .prepare(`SELECT run_id, kind, started_at, description FROM runs ${kind ? "WHERE kind = ?" : ""} ORDER BY started_at DESC, run_id DESC`)
      .all(...(kind ? [kind] : [])) as Array<{ run_id: string; kind: RunListing["kind"]; started_at: string; description: string }>;
    return rows.map((r) => ({ runId: r.run_id, kind: r.kind, startedAt: r.started_at, description: r.description }));
  }

  /** A run id, a unique prefix of one, or `latest` (the newest run, of `kind` when given). */
  resolve(reference: string, kind?: RunListing["kind"]): string {
    const runs = this.list(kind);
    const what = kind ? `${kind} run` : "run";
    if (reference === "latest") {
      if (!runs[0]) throw new RunNotFoundError(`there is no ${what} in ${this.file} yet`);
      return runs[0].runId;
    }
    const exact = runs.find((r) => r.runId === reference);
    if (exact) return exact.runId;
    const matches = runs.filter((r) => r.runId.startsWith(reference));
    if (matches.length === 1) return matches[0]!.runId;
    if (matches.length === 0) throw new RunNotFoundError(`no ${what} "${reference}" in ${this.file}; \`benchmark-tool history\` lists them`);
    throw new RunNotFoundError(`"${reference}" matches ${matches.length} runs (${matches.slice(0, 5).map((r) => r.runId).join(", ")}${matches.length > 5 ? ", ..." : ""}); give more of the id`);
  }

  load(runId: string): StoredRun {
    const row = this.raw.prepare("SELECT kind, document FROM runs WHERE run_id = ?").get(runId) as { kind: string; document: string } | undefined;
    if (!row) throw new RunNotFoundError(`no run "${runId}" in ${this.file}`);
    return parseStoredRun(row.kind, row.document);
  }

  close(): void {
    this.raw.close();
  }
}

/** Opens the store, runs fn, and closes the store whatever happens. */
export async function withStore<T>(resultsDir: string, fn: (store: SqliteStore) => Promise<T> | T): Promise<T> {
  const store = await SqliteStore.open(resultsDir);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
