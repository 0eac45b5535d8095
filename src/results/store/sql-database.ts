// The little the store needs from a SQL database, so that one migration runner
// and one writer serve both SQLite (the local store) and MySQL (the export).
export type Dialect = "sqlite" | "mysql";

export type SqlValue = string | number | null;

export interface SqlDatabase {
  readonly dialect: Dialect;
  /** Runs a statement with `?` placeholders. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<void>;
  query<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}
