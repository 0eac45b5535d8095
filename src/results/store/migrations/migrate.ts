// Applies the migrations a database does not have yet, in order, recording
// each in schema_migrations. Running it again changes nothing.
import type { SqlDatabase } from "../sql-database.js";
import { MIGRATIONS, type Migration } from "./migrations.js";

export async function migrate(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.execute(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at VARCHAR(32) NOT NULL)`,
  );
  const rows = await db.query<{ version: number }>("SELECT version FROM schema_migrations");
  const applied = new Set(rows.map((r) => Number(r.version)));
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(`the database's schema is at version ${newest}, newer than this benchmark-tool knows (${known}); use a newer benchmark-tool`);
  }
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    // MySQL commits DDL implicitly, so there the transaction only guards the
    // bookkeeping row; SQLite applies the whole migration or none of it.
    const appliedHere = await db.transaction(async () => {
      // Another process may have applied it since the list above was read (two
      // runs creating one results directory): the transaction holds the write
      // lock, so what it sees now is settled.
      const again = await db.query<{ version: number }>("SELECT version FROM schema_migrations WHERE version = ?", [migration.version]);
      if (again.length) return false;
      for (const statement of migration.statements(db.dialect)) await db.execute(statement);
      await db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [migration.version, migration.name, new Date().toISOString()]);
      return true;
    });
    if (appliedHere) done.push(migration.version);
  }
  return done;
}
