// The --mysql-export and --db-url options that performance, community and
// export share, and their check before any work starts. The check needs no
// MySQL driver: that is loaded only when a run is written to the server.
import { Option } from "../vendor/commander.js";
import { MysqlConfigError, resolveMysqlTarget, type MysqlTarget } from "../results/store/mysql-target.js";
import { UsageError } from "./exit-codes.js";

export interface ExportOptions {
  mysqlExport?: boolean;
  dbUrl?: string;
}

export function mysqlExportOption(): Option {
  return new Option("--mysql-export", "also write the run to the MySQL/MariaDB server named by MYSQL_ADDRESS, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE");
}

export function dbUrlOption(): Option {
  return new Option("--db-url <url>", "the server for --mysql-export as mysql://USER:PASSWORD@HOST:PORT/DATABASE (wins over MYSQL_*; implies --mysql-export)");
}

/** The export's server, or undefined when no export was asked for; a bad setting is a usage error, raised before anything is measured. */
export function mysqlTargetOrUsageError(options: ExportOptions): MysqlTarget | undefined {
  if (!options.mysqlExport && !options.dbUrl) return undefined;
  try {
    return resolveMysqlTarget(options.dbUrl);
  } catch (error) {
    if (error instanceof MysqlConfigError) throw new UsageError(error.message);
    throw error;
  }
}
