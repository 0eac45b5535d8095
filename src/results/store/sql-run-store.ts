// The run store over any SqlDatabase: the same queries list, find and load
// runs in the local SQLite file and on a shared MySQL server.
import type { SqlDatabase, SqlValue } from "./sql-database.js";
import { RunNotFoundError, type ListedHost, type RunFilter, type RunKind, type RunListing, type RunStore } from "./run-store.js";
import { parseStoredRun } from "./parse-stored-run.js";
import type { StoredRun } from "./stored-run.js";
import { writeRun, type WriteHooks } from "./write-run.js";

/** Rows fetched per `IN (...)` query: well under SQLite's limit on parameters. */
const IN_CHUNK = 500;

/** `text` inside a LIKE pattern, its own % and _ taken literally (with ESCAPE '!'). */
function likeLiteral(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/** "QEMU 7.2.0 (Debian …)" from the VMM's name and the version it reported. */
function vmmVersionText(vmm: string, version: string): string {
  const family = vmm.startsWith("qemu") ? "QEMU" : vmm.startsWith("firecracker") ? "Firecracker" : vmm;
  return `${family} ${version}`;
}

interface RunRow {
  run_id: string;
  kind: RunKind;
  started_at: string;
  description: string;
  host_name: string | null;
  cpu_model: string | null;
  cpu_cores: number | null;
  kernel: string | null;
}

export class SqlRunStore implements RunStore {
  constructor(
    readonly db: SqlDatabase,
    readonly location: string,
  ) {}

  async save(run: StoredRun, hooks?: WriteHooks): Promise<void> {
    await writeRun(this.db, run, hooks);
  }

  async list(filter: RunFilter = {}): Promise<RunListing[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.kind) {
      where.push("kind = ?");
      params.push(filter.kind);
    }
    if (filter.since) {
      where.push("started_at >= ?");
      params.push(filter.since);
    }
    if (filter.host) {
      where.push("(host_name LIKE ? ESCAPE '!' OR cpu_model LIKE ? ESCAPE '!')");
      params.push(`%${likeLiteral(filter.host)}%`, `%${likeLiteral(filter.host)}%`);
    }
    for (const label of filter.labels ?? []) {
      where.push("EXISTS (SELECT 1 FROM run_labels l WHERE l.run_id = runs.run_id AND l.label = ?)");
      params.push(label);
    }
    if (filter.target || filter.vmm) {
      // One pair must match both, so that --target osv --vmm qemu means osv on qemu.
      const pair = [...(filter.target ? ["t.target = ?"] : []), ...(filter.vmm ? ["t.vmm = ?"] : [])];
      where.push(`EXISTS (SELECT 1 FROM performance_targets t WHERE t.run_id = runs.run_id AND ${pair.join(" AND ")})`);
      params.push(...[filter.target, filter.vmm].filter((v): v is string => v !== undefined));
    }
    const rows = await this.db.query<RunRow>(
      `SELECT run_id, kind, started_at, description, host_name, cpu_model, cpu_cores, kernel FROM runs
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY started_at DESC, run_id DESC${filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : ""}`,
      params,
    );
    const ids = rows.map((r) => r.run_id);
    const labels = await this.byRun<{ run_id: string; label: string }>("SELECT run_id, label FROM run_labels WHERE run_id IN (?) ORDER BY label", ids);
    const targets = await this.byRun<{ run_id: string; vmm: string; vmm_version: string | null; accel: string | null }>(
      "SELECT run_id, vmm, vmm_version, accel FROM performance_targets WHERE run_id IN (?) ORDER BY vmm",
      rows.filter((r) => r.kind === "performance").map((r) => r.run_id),
    );
    return rows.map((r) => {
      const listing: RunListing = {
        runId: r.run_id,
        kind: r.kind,
        startedAt: r.started_at,
        description: r.description,
        labels: (labels.get(r.run_id) ?? []).map((l) => l.label),
      };
      if (r.kind !== "community" && r.cpu_model !== null) listing.host = listedHost(r, targets.get(r.run_id) ?? []);
      return listing;
    });
  }

  /** Rows of `sql` (with one `IN (?)`) for the given runs, grouped by run. */
  private async byRun<Row extends { run_id: string }>(sql: string, runIds: string[]): Promise<Map<string, Row[]>> {
    const grouped = new Map<string, Row[]>();
    for (let start = 0; start < runIds.length; start += IN_CHUNK) {
      const chunk = runIds.slice(start, start + IN_CHUNK);
      for (const row of await this.db.query<Row>(sql.replace("IN (?)", `IN (${chunk.map(() => "?").join(", ")})`), chunk)) {
        grouped.set(row.run_id, [...(grouped.get(row.run_id) ?? []), row]);
      }
    }
    return grouped;
  }

  async resolve(reference: string, kind?: RunKind): Promise<string> {
    const what = kind ? `${kind} run` : "run";
    const ofKind = kind ? " AND kind = ?" : "";
    const kindParam = kind ? [kind] : [];
    const first = async (sql: string, params: SqlValue[]): Promise<string | undefined> => (await this.db.query<{ run_id: string }>(sql, params))[0]?.run_id;
    if (reference === "latest") {
      const newest = await first(`SELECT run_id FROM runs WHERE 1 = 1${ofKind} ORDER BY started_at DESC, run_id DESC LIMIT 1`, kindParam);
      if (!newest) throw new RunNotFoundError(`there is no ${what} in ${this.location} yet`);
      return newest;
    }
    const exact = await first(`SELECT run_id FROM runs WHERE run_id = ?${ofKind}`, [reference, ...kindParam]);
    if (exact) return exact;
    const labelled = await first(
      `SELECT runs.run_id FROM runs JOIN run_labels l ON l.run_id = runs.run_id WHERE l.label = ?${ofKind} ORDER BY started_at DESC, runs.run_id DESC LIMIT 1`,
      [reference, ...kindParam],
    );
    if (labelled) return labelled;
    const matches = (await this.db.query<{ run_id: string }>(`SELECT run_id FROM runs WHERE run_id LIKE ? ESCAPE '!'${ofKind} ORDER BY run_id LIMIT 6`, [`${likeLiteral(reference)}%`, ...kindParam])).map((r) => r.run_id);
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) throw new RunNotFoundError(`no ${what} or label "${reference}" in ${this.location}; \`benchmark-tool history\` lists them`);
    throw new RunNotFoundError(`"${reference}" matches ${matches.length > 5 ? "more than 5" : matches.length} runs (${matches.slice(0, 5).join(", ")}${matches.length > 5 ? ", ..." : ""}); give more of the id`);
  }

  async load(runId: string): Promise<StoredRun> {
    const [row] = await this.db.query<{ kind: string; document: string }>("SELECT kind, document FROM runs WHERE run_id = ?", [runId]);
    if (!row) throw new RunNotFoundError(`no run "${runId}" in ${this.location}`);
    return parseStoredRun(row.kind, row.document);
  }
}

function listedHost(row: RunRow, targets: Array<{ vmm: string; vmm_version: string | null; accel: string | null }>): ListedHost {
  const distinct = (values: Array<string | undefined>): string[] => [...new Set(values.filter((v): v is string => !!v))];
  return {
    ...(row.host_name ? { name: row.host_name } : {}),
    cpuModel: row.cpu_model ?? "unknown",
    cores: Number(row.cpu_cores ?? 0),
    kernel: row.kernel ?? "unknown",
    vmmVersions: distinct(targets.map((t) => (t.vmm_version ? vmmVersionText(t.vmm, t.vmm_version) : undefined))),
    accels: distinct(targets.map((t) => t.accel ?? undefined)),
  };
}
