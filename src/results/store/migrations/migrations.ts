// The store's schema as numbered migrations, for SQLite and MySQL alike. A
// migration is never edited once released: a change is a new migration.
// Column types are written through `t` so the dialects differ in one place.
import type { Dialect } from "../sql-database.js";

interface Types {
  /** Long text: the whole run document. */
  document: string;
  real: string;
  bigint: string;
  bool: string;
}

const TYPES: Record<Dialect, Types> = {
  sqlite: { document: "TEXT", real: "REAL", bigint: "INTEGER", bool: "INTEGER" },
  mysql: { document: "LONGTEXT", real: "DOUBLE", bigint: "BIGINT", bool: "TINYINT(1)" },
};

export interface Migration {
  version: number;
  name: string;
  statements(dialect: Dialect): string[];
}

const ENGINE: Record<Dialect, string> = { sqlite: "", mysql: " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" };

/** A scalar field of the run document (the `document` column), as text. */
function documentField(d: Dialect, jsonPath: string): string {
  return d === "sqlite" ? `json_extract(document, '${jsonPath}')` : `JSON_UNQUOTE(JSON_EXTRACT(document, '${jsonPath}'))`;
}

/** Columns that say which repository of which run a community row is about. */
const REPOSITORY_KEY = `run_id VARCHAR(64) NOT NULL, owner VARCHAR(100) NOT NULL, repo VARCHAR(100) NOT NULL`;
const REPOSITORY_FK = `PRIMARY KEY (run_id, owner, repo), FOREIGN KEY (run_id, owner, repo) REFERENCES repository (run_id, owner, repo) ON DELETE CASCADE`;

/** The runs table's columns as of migration 3. */
const RUNS_COLUMNS = "run_id, kind, started_at, finished_at, description, document, host_name, cpu_model, cpu_cores, kernel";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "runs and community results (the original's tables plus the added fields)",
    statements: (d) => {
      const t = TYPES[d];
      return [
        `CREATE TABLE runs (
          run_id VARCHAR(64) NOT NULL PRIMARY KEY,
          kind VARCHAR(16) NOT NULL CHECK (kind IN ('performance', 'community')),
          started_at VARCHAR(32) NOT NULL,
          finished_at VARCHAR(32) NOT NULL,
          description VARCHAR(2000) NOT NULL,
          document ${t.document} NOT NULL
        )${ENGINE[d]}`,
        `CREATE INDEX runs_started_at ON runs (started_at)`,
        `CREATE TABLE repository (
          ${REPOSITORY_KEY},
          star_number ${t.bigint} NOT NULL,
          fork_number ${t.bigint} NOT NULL,
          last_commit_date VARCHAR(40),
          release_number ${t.bigint} NOT NULL,
          last_release_date VARCHAR(40),
          recent_since VARCHAR(40) NOT NULL,
          recent_issues_opened_number ${t.bigint} NOT NULL,
          recent_issues_closed_number ${t.bigint} NOT NULL,
          recent_pull_requests_merged_number ${t.bigint} NOT NULL,
          recent_commit_author_number ${t.bigint} NOT NULL,
          time_window_since VARCHAR(40),
          collected_on VARCHAR(40) NOT NULL,
          requests ${t.bigint} NOT NULL,
          rate_limit_points ${t.bigint} NOT NULL,
          PRIMARY KEY (run_id, owner, repo),
          FOREIGN KEY (run_id) REFERENCES runs (run_id) ON DELETE CASCADE
        )${ENGINE[d]}`,
        `CREATE TABLE pull_requests (
          ${REPOSITORY_KEY},
          open_pull_request_number ${t.bigint} NOT NULL,
          closed_pull_request_number ${t.bigint} NOT NULL,
          average_comments_per_pull_request ${t.real} NOT NULL,
          average_commits_per_pull_request ${t.real} NOT NULL,
          merged_pull_request_number ${t.bigint} NOT NULL,
          median_time_to_first_response_hours ${t.real},
          median_time_to_merge_hours ${t.real},
          ${REPOSITORY_FK}
        )${ENGINE[d]}`,
        `CREATE TABLE issues (
          ${REPOSITORY_KEY},
          open_issues_number ${t.bigint} NOT NULL,
          closed_issues_number ${t.bigint} NOT NULL,
          average_comments_per_issue ${t.real} NOT NULL,
          median_time_to_first_response_hours ${t.real},
          median_time_to_close_hours ${t.real},
          median_open_issue_age_hours ${t.real},
          ${REPOSITORY_FK}
        )${ENGINE[d]}`,
        `CREATE TABLE community_documents (
          ${REPOSITORY_KEY},
          health_percentage INTEGER NOT NULL,
          has_code_of_conduct ${t.bool} NOT NULL,
          has_contributing ${t.bool} NOT NULL,
          has_issue_template ${t.bool} NOT NULL,
          has_pull_request_template ${t.bool} NOT NULL,
          has_license ${t.bool} NOT NULL,
          has_readme ${t.bool} NOT NULL,
          has_content_reports_enabled ${t.bool} NOT NULL,
          has_wiki ${t.bool} NOT NULL,
          ${REPOSITORY_FK}
        )${ENGINE[d]}`,
      ];
    },
  },
  {
    version: 2,
    name: "performance runs: targets and samples",
    statements: (d) => {
      const t = TYPES[d];
      return [
        `CREATE TABLE performance_targets (
          run_id VARCHAR(64) NOT NULL,
          target VARCHAR(128) NOT NULL,
          vmm VARCHAR(64) NOT NULL,
          status VARCHAR(16) NOT NULL,
          accel VARCHAR(8),
          vmm_version VARCHAR(200),
          memory_mib INTEGER,
          vcpus INTEGER NOT NULL,
          image_size_bytes ${t.bigint},
          error TEXT,
          PRIMARY KEY (run_id, target, vmm),
          FOREIGN KEY (run_id) REFERENCES runs (run_id) ON DELETE CASCADE
        )${ENGINE[d]}`,
        `CREATE TABLE performance_samples (
          run_id VARCHAR(64) NOT NULL,
          target VARCHAR(128) NOT NULL,
          vmm VARCHAR(64) NOT NULL,
          iteration_index INTEGER NOT NULL,
          warmup ${t.bool} NOT NULL,
          vmm_startup_ns ${t.real} NOT NULL CHECK (vmm_startup_ns >= 0),
          boot_ns ${t.real} NOT NULL CHECK (boot_ns >= 0),
          run_ns ${t.real} NOT NULL CHECK (run_ns >= 0),
          peak_rss_bytes ${t.bigint} NOT NULL CHECK (peak_rss_bytes >= 0),
          peak_rss_exact ${t.bool} NOT NULL,
          guest_end_reason VARCHAR(200) NOT NULL,
          PRIMARY KEY (run_id, target, vmm, iteration_index),
          FOREIGN KEY (run_id, target, vmm) REFERENCES performance_targets (run_id, target, vmm) ON DELETE CASCADE
        )${ENGINE[d]}`,
      ];
    },
  },
  {
    version: 3,
    name: "runs: host and labels, for listing and filtering runs from several hosts",
    statements: (d) => [
      `ALTER TABLE runs ADD COLUMN host_name VARCHAR(255)`,
      `ALTER TABLE runs ADD COLUMN cpu_model VARCHAR(255)`,
      `ALTER TABLE runs ADD COLUMN cpu_cores INTEGER`,
      `ALTER TABLE runs ADD COLUMN kernel VARCHAR(255)`,
      `CREATE TABLE run_labels (
        run_id VARCHAR(64) NOT NULL,
        label VARCHAR(100) NOT NULL,
        PRIMARY KEY (run_id, label),
        FOREIGN KEY (run_id) REFERENCES runs (run_id) ON DELETE CASCADE
      )${ENGINE[d]}`,
      `CREATE INDEX run_labels_label ON run_labels (label)`,
      // Runs written before this migration: their host from their documents.
      // None of them has labels (the tool that wrote them had none).
      `UPDATE runs SET
        host_name = ${documentField(d, "$.host.hostname")},
        cpu_model = ${documentField(d, "$.host.cpuModel")},
        cpu_cores = ${documentField(d, "$.host.cores")},
        kernel = ${documentField(d, "$.host.kernel")}
      WHERE kind = 'performance'`,
    ],
  },
  {
    version: 4,
    name: "runs: the density kind",
    // The kind's CHECK cannot be altered in place in SQLite (nor by one name in
    // MySQL and MariaDB): the table is rebuilt, the documented way, with foreign
    // keys off meanwhile (SQLite migrates with them off, sqlite-store.ts), so
    // that dropping the old table takes no child rows with it.
    statements: (d) => [
      ...(d === "mysql" ? ["SET FOREIGN_KEY_CHECKS = 0"] : []),
      `CREATE TABLE runs_with_density (
        run_id VARCHAR(64) NOT NULL PRIMARY KEY,
        kind VARCHAR(16) NOT NULL CHECK (kind IN ('performance', 'community', 'density')),
        started_at VARCHAR(32) NOT NULL,
        finished_at VARCHAR(32) NOT NULL,
        description VARCHAR(2000) NOT NULL,
        document ${TYPES[d].document} NOT NULL,
        host_name VARCHAR(255),
        cpu_model VARCHAR(255),
        cpu_cores INTEGER,
        kernel VARCHAR(255)
      )${ENGINE[d]}`,
      `INSERT INTO runs_with_density (${RUNS_COLUMNS}) SELECT ${RUNS_COLUMNS} FROM runs`,
      `DROP TABLE runs`,
      d === "mysql" ? `RENAME TABLE runs_with_density TO runs` : `ALTER TABLE runs_with_density RENAME TO runs`,
      `CREATE INDEX runs_started_at ON runs (started_at)`,
      ...(d === "mysql" ? ["SET FOREIGN_KEY_CHECKS = 1"] : []),
    ],
  },
  {
    version: 5,
    name: "performance runs: what server guests served (the http workload)",
    statements: (d) => {
      const t = TYPES[d];
      return [
        `CREATE TABLE performance_serving_samples (
          run_id VARCHAR(64) NOT NULL,
          target VARCHAR(128) NOT NULL,
          vmm VARCHAR(64) NOT NULL,
          iteration_index INTEGER NOT NULL,
          first_answer_ns ${t.real} NOT NULL CHECK (first_answer_ns >= 0),
          probe_attempts INTEGER NOT NULL,
          load_generator VARCHAR(64) NOT NULL,
          load_duration_ns ${t.real} NOT NULL,
          load_connections INTEGER NOT NULL,
          load_requests ${t.bigint} NOT NULL,
          requests_per_second ${t.real} NOT NULL CHECK (requests_per_second >= 0),
          latency_p50_ns ${t.real} NOT NULL,
          latency_p90_ns ${t.real} NOT NULL,
          latency_p99_ns ${t.real} NOT NULL,
          latency_max_ns ${t.real} NOT NULL,
          load_errors ${t.bigint} NOT NULL,
          load_timeouts ${t.bigint} NOT NULL,
          idle_rss_bytes ${t.bigint} NOT NULL,
          load_peak_rss_bytes ${t.bigint} NOT NULL,
          served_by_guest ${t.bigint} NOT NULL,
          tool_requests ${t.bigint} NOT NULL,
          PRIMARY KEY (run_id, target, vmm, iteration_index),
          FOREIGN KEY (run_id, target, vmm, iteration_index) REFERENCES performance_samples (run_id, target, vmm, iteration_index) ON DELETE CASCADE
        )${ENGINE[d]}`,
      ];
    },
  },
];
