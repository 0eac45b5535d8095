// The MariaDB server the results tests use: scripts/setup.sh --test installs
// and starts it on 127.0.0.1:3306 with a user that may create databases named
// benchmark_test*.
import mysql from "mysql2/promise";

export const TEST_MARIADB = { host: "127.0.0.1", port: 3306, user: "benchmark_test", password: "benchmark-test-password" };

/** A database name of this process's own, to create and drop. */
export function testDatabaseName(prefix: string): string {
  return `benchmark_test_${prefix}${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
}

/** An administrative connection, or an error that says how to get the server. */
export async function connectTestMariadb(): Promise<mysql.Connection> {
  try {
    return await mysql.createConnection(TEST_MARIADB);
  } catch (error) {
    throw new Error(`No MariaDB test server on 127.0.0.1:3306 (${(error as Error).message}); run scripts/setup.sh, which installs and starts it`);
  }
}
