// Which MySQL or MariaDB server to use: --db-url, or the original tool's
// variables (MYSQL_ADDRESS, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD,
// MYSQL_DATABASE). The password never appears in a message.

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export const DEFAULT_MYSQL_PORT = 3306;

/** A --db-url or MYSQL_* setting that names no usable server. */
export class MysqlConfigError extends Error {
  override readonly name = "MysqlConfigError";
}

function port(value: string, where: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new MysqlConfigError(`${where}: port "${value}" is not a number from 1 to 65535`);
  return n;
}

/**
 * `--db-url` wins; otherwise the MYSQL_* variables, all of which but MYSQL_PORT
 * are needed. `purpose` starts the message when some are missing.
 */
export function resolveMysqlTarget(dbUrl: string | undefined, env: NodeJS.ProcessEnv = process.env, purpose = "--mysql-export"): MysqlTarget {
  if (dbUrl) return parseMysqlUrl(dbUrl);
  const missing = ["MYSQL_ADDRESS", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DATABASE"].filter((name) => !env[name]);
  if (missing.length) {
    throw new MysqlConfigError(`${purpose} needs ${missing.join(", ")} to be set (or --db-url mysql://USER:PASSWORD@HOST:PORT/DATABASE)`);
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
