// --mysql-export: writes a run to a MySQL or MariaDB server, named by --db-url
// or by the original tool's variables (MYSQL_ADDRESS, MYSQL_PORT, MYSQL_USER,
// MYSQL_PASSWORD, MYSQL_DATABASE). The password never appears in a message.
import mysql from "mysql2/promise";
import { migrate } from "./migrations/migrate.js";
import type { SqlDatabase, SqlValue } from "./sql-database.js";
import type { StoredRun } from "./stored-run.js";
import { writeRun, type WriteHooks } from "./write-run.js";

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export const DEFAULT_MYSQL_PORT = 3306;
const CONNECT_TIMEOUT_MS = 10_000;

/** A --db-url or MYSQL_* setting that names no usable server. */
export class MysqlConfigError extends Error {
  override readonly name = "MysqlConfigError";
}

/** A write to the server that failed; the message names the server without the password. */
export class MysqlExportError extends Error {
  override readonly name = "MysqlExportError";
}

function port(value: string, where: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new MysqlConfigError(`${where}: port "${value}" is not a number from 1 to 65535`);
  return n;
}

/** `--db-url` wins; otherwise the MYSQL_* variables, all of which but MYSQL_PORT are needed. */
export function resolveMysqlTarget(dbUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): MysqlTarget {
  if (dbUrl) return parseMysqlUrl(dbUrl);
  const missing = ["MYSQL_ADDRESS", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DATABASE"].filter((name) => !env[name]);
  if (missing.length) {
    throw new MysqlConfigError(`--mysql-export needs ${missing.join(", ")} to be set (or --db-url mysql://USER:PASSWORD@HOST:PORT/DATABASE)`);
  }
  return {
    host: env.MYSQL_ADDRESS!,
    port: env.MYSQL_PORT ? port(env.MYSQL_PORT, "MYSQL_PORT") : DEFAULT_MYSQL_PORT,
    user: env.MYSQL_USER!,
    password: env.MYSQL_PASSWORD!,
    database: env.MYSQL_DATABASE!,
  };
}

export function parseMysqlUrl(dbUrl: string): MysqlTarget {
  let url: URL;
  try {
    url = new URL(dbUrl);
  } catch {
    throw new MysqlConfigError(`--db-url "${maskUrl(dbUrl)}" is not a URL; use mysql://USER:PASSWORD@HOST:PORT/DATABASE`);
  }
  if (url.protocol !== "mysql:" && url.protocol !== "mariadb:") {
    throw new MysqlConfigError(`--db-url must start with mysql://, not ${url.protocol}//`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!url.hostname || !url.username || !database) {
    throw new MysqlConfigError(`--db-url "${maskUrl(dbUrl)}" needs a user, a host and a database: mysql://USER:PASSWORD@HOST:PORT/DATABASE`);
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port ? port(url.port, "--db-url") : DEFAULT_MYSQL_PORT,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
  };
}

/** The URL with its password replaced, for messages; text that is not a URL gets its user-info part masked. */
export function maskUrl(dbUrl: string): string {
  try {
    const url = new URL(dbUrl);
    if (url.password) url.password = "****";
    return url.toString();
  } catch {
    return dbUrl.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:****@");
  }
}

export function describeMysqlTarget(target: MysqlTarget): string {
  return `${target.user}@${target.host}:${target.port}/${target.database}`;
}

function mysqlDatabase(connection: mysql.Connection): SqlDatabase {
  return {
    dialect: "mysql",
    execute: async (sql, params = []) => {
      await connection.query(sql, params as SqlValue[]);
    },
    query: async <Row>(sql: string, params: readonly SqlValue[] = []) => {
      const [rows] = await connection.query(sql, params as SqlValue[]);
      return rows as Row[];
    },
    transaction: async (fn) => {
      await connection.beginTransaction();
      try {
        const result = await fn();
        await connection.commit();
        return result;
      } catch (error) {
        await connection.rollback();
        throw error;
      }
    },
  };
}

/** Connects, brings the schema up to date and writes the run in one transaction. */
export async function exportRunToMysql(target: MysqlTarget, run: StoredRun, hooks?: WriteHooks): Promise<void> {
  const where = describeMysqlTarget(target);
  const fail = (what: string, error: unknown): MysqlExportError => {
    let message = error instanceof Error ? error.message : String(error);
    if (target.password) message = message.split(target.password).join("****");
    return new MysqlExportError(`${what} ${where}: ${message}`);
  };
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({ ...target, connectTimeout: CONNECT_TIMEOUT_MS, multipleStatements: false });
  } catch (error) {
    throw fail("could not connect to the MySQL server", error);
  }
  try {
    const db = mysqlDatabase(connection);
    try {
      await migrate(db);
    } catch (error) {
      throw fail("could not create or upgrade the schema on", error);
    }
    try {
      await writeRun(db, run, hooks);
    } catch (error) {
      throw fail(`could not write run ${run.runId} (nothing of it was kept) to`, error);
    }
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}
