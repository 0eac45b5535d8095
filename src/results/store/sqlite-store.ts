// The local store: an embedded SQLite database, <results-dir>/benchmark-tool.db,
// that indexes every run for history, compare and report. The JSON files
// beside it stay the versioned export.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations/migrate.js";
import type { SqlDatabase, SqlValue } from "./sql-database.js";
import { SqlRunStore } from "./sql-run-store.js";

export const DATABASE_FILE = "benchmark-tool.db";
/** How long a write waits for another process's transaction. */
const BUSY_TIMEOUT_MS = 15_000;

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

export class SqliteStore extends SqlRunStore {
  private constructor(
    readonly file: string,
    private readonly raw: Database.Database,
  ) {
    super(sqliteDatabase(raw), file);
  }

  /** Opens (creating it when missing) the store under resultsDir and brings its schema up to date. */
  static async open(resultsDir: string): Promise<SqliteStore> {
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, DATABASE_FILE);
    // Another benchmark-tool writing at the same time (two runs into one
    // results directory): wait for its transaction rather than fail, from the
    // very first statement (switching a new database to WAL takes a lock too).
    const raw = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      raw.pragma("journal_mode = WAL");
      raw.pragma("foreign_keys = ON");
      const store = new SqliteStore(file, raw);
      await migrate(store.db);
      return store;
    } catch (error) {
      raw.close();
      throw error;
    }
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
