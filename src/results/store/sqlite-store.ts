// The local store: an embedded SQLite database, <results-dir>/benchmark-tool.db,
// that indexes every run for history, compare and report. The JSON files
// beside it stay the versioned export.
import path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations/migrate.js";
import type { SqlDatabase, SqlValue } from "./sql-database.js";
import { SqlRunStore } from "./sql-run-store.js";
import { makeDirectory } from "../../files.js";

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

/**
 * Why the store at `file` could not be used, and what to do: a damaged
 * database can be moved away, since every run is also a JSON file from
 * which the next `history` rebuilds it.
 */
export function describeStoreError(file: string, error: unknown): string {
  const code = (error as { code?: string }).code ?? "";
  const message = (error as Error).message;
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return `The results database ${file} is damaged (${message}). Move it away (mv ${file} ${file}.damaged): the next \`benchmark-tool history\` rebuilds it from the runs' JSON files`;
  }
  if (code.startsWith("SQLITE_FULL")) return `The results database ${file} cannot be written: the disk is full (${message})`;
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_PERM")) {
    return `The results database ${file} cannot be opened for writing (${message}); check the permissions of ${path.dirname(file)}`;
  }
  return `The results database ${file} cannot be used: ${message}`;
}

/**
 * Switches the database to write-ahead logging (kept in the file: a no-op once
 * done). Several processes opening a new store at once each hold a shared lock
 * and ask for the exclusive one the switch needs; SQLite then answers
 * SQLITE_BUSY at once instead of waiting, since waiting could deadlock. So the
 * switch is tried again, a few milliseconds apart, for as long as a write
 * would wait.
 */
async function switchToWal(raw: Database.Database): Promise<void> {
  const giveUpAt = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      raw.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
}

export class SqliteStore extends SqlRunStore {
  private constructor(
    /** The database file, or what an in-memory store holds (named in messages). */
    readonly file: string,
    private readonly raw: Database.Database,
    readonly inMemory = false,
  ) {
    super(sqliteDatabase(raw), file);
  }

  static fileIn(resultsDir: string): string {
    return path.join(resultsDir, DATABASE_FILE);
  }

  /** Opens (creating it when missing) the store under resultsDir and brings its schema up to date. */
  static async open(resultsDir: string): Promise<SqliteStore> {
    await makeDirectory(resultsDir);
    return SqliteStore.openFile(SqliteStore.fileIn(resultsDir));
  }

  /**
   * A store that lives only as long as the process, for reading runs from their
   * JSON files when the database cannot be used; `holds` says what it holds.
   */
  static inMemory(holds: string): Promise<SqliteStore> {
    return SqliteStore.openFile(":memory:", holds);
  }

  private static async openFile(file: string, holds?: string): Promise<SqliteStore> {
    // Another benchmark-tool writing at the same time (two runs into one
    // results directory): wait for its transaction rather than fail, from the
    // very first statement (switching a new database to WAL takes a lock too).
    const raw = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      await switchToWal(raw);
      const store = new SqliteStore(holds ?? file, raw, holds !== undefined);
      // Migrations run with foreign keys off, as SQLite's procedure for
      // rebuilding a table asks (a parent table dropped with them on would
      // take its children's rows along); they are checked once done.
      raw.pragma("foreign_keys = OFF");
      await migrate(store.db);
      const broken = raw.pragma("foreign_key_check") as unknown[];
      if (broken.length) throw new Error(`the store's schema upgrade left ${broken.length} row(s) without their run`);
      raw.pragma("foreign_keys = ON");
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
