// The run store on a MySQL or MariaDB server: what --mysql-export writes to
// and what history, compare, report and export read from with --db-url or the
// MYSQL_* variables. The schema is brought up to date on opening; no message
// it gives contains the password.
import mysql from "mysql2/promise";
import { migrate } from "./migrations/migrate.js";
import { describeMysqlTarget, type MysqlTarget } from "./mysql-target.js";
import type { SqlDatabase, SqlValue } from "./sql-database.js";
import { SqlRunStore } from "./sql-run-store.js";

const CONNECT_TIMEOUT_MS = 10_000;

/** The server could not be reached, upgraded, read or written; the message names it without the password. */
export class MysqlServerError extends Error {
  override readonly name = "MysqlServerError";
}

/** error's message with every occurrence of the password masked. */
function withoutPassword(error: unknown, password: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return password ? message.split(password).join("****") : message;
}

function mysqlDatabase(connection: mysql.Connection, password: string): SqlDatabase {
  // Errors keep their text (a test or a user looks for the violated constraint) minus the password.
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw new Error(withoutPassword(error, password));
    }
  };
  return {
    dialect: "mysql",
    execute: (sql, params = []) => guarded(async () => void (await connection.query(sql, params as SqlValue[]))),
    query: <Row>(sql: string, params: readonly SqlValue[] = []) => guarded(async () => (await connection.query(sql, params as SqlValue[]))[0] as Row[]),
    transaction: async (fn) => {
      await guarded(() => connection.beginTransaction());
      try {
        const result = await fn();
        await guarded(() => connection.commit());
        return result;
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      }
    },
  };
}

export class MysqlStore extends SqlRunStore {
  private constructor(
    private readonly connection: mysql.Connection,
    private readonly target: MysqlTarget,
  ) {
    super(mysqlDatabase(connection, target.password), `MySQL ${describeMysqlTarget(target)}`);
  }

  /** Connects and brings the schema up to date. */
  static async open(target: MysqlTarget): Promise<MysqlStore> {
    let connection: mysql.Connection;
    try {
      connection = await mysql.createConnection({ ...target, connectTimeout: CONNECT_TIMEOUT_MS, multipleStatements: false });
    } catch (error) {
      throw new MysqlServerError(`could not connect to the MySQL server ${describeMysqlTarget(target)}: ${withoutPassword(error, target.password)}`);
    }
    const store = new MysqlStore(connection, target);
    try {
      await migrate(store.db);
    } catch (error) {
      await store.close();
      throw store.failure("could not create or upgrade the schema on", error);
    }
    return store;
  }

  /** A MysqlServerError saying what failed on this server. */
  failure(what: string, error: unknown): MysqlServerError {
    return new MysqlServerError(`${what} ${describeMysqlTarget(this.target)}: ${withoutPassword(error, this.target.password)}`);
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy());
  }
}

/** Opens the server's store, runs fn, and closes the connection whatever happens. */
export async function withMysqlStore<T>(target: MysqlTarget, fn: (store: MysqlStore) => Promise<T>): Promise<T> {
  const store = await MysqlStore.open(target);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
