// Where runs are kept and read back: the local SQLite file or a shared MySQL
// server. history, compare, report and export read through this interface and
// do not know which one they have.
import type { WriteHooks } from "./write-run.js";
import type { StoredRun } from "./stored-run.js";

export type RunKind = StoredRun["kind"];

/** The machine a performance run was measured on, as history lists it. */
export interface ListedHost {
  /** Absent for runs saved before the host name was recorded. */
  name?: string;
  cpuModel: string;
  cores: number;
  kernel: string;
  /** Per VMM family, e.g. "QEMU 7.2.0 (Debian 1:7.2+dfsg-7+deb12u6)". */
  vmmVersions: string[];
  /** The accelerators the run's targets ran under. */
  accels: string[];
}

export interface RunListing {
  runId: string;
  kind: RunKind;
  startedAt: string;
  description: string;
  labels: string[];
  /** Performance and density runs only. */
  host?: ListedHost;
}

/** What `history` keeps; every field given must match. */
export interface RunFilter {
  kind?: RunKind;
  /** A target measured in the run (with `vmm`: on that VMM). */
  target?: string;
  vmm?: string;
  /** Part of the host name or CPU model, any case. */
  host?: string;
  /** The run carries every one of these labels. */
  labels?: readonly string[];
  /** Started at or after this instant (ISO 8601). */
  since?: string;
  /** The newest this many. */
  limit?: number;
}

export interface RunStore {
  /** The store in words, for messages: a file path, or user@host:port/database (never a password). */
  readonly location: string;
  save(run: StoredRun, hooks?: WriteHooks): Promise<void>;
  /** Newest first. */
  list(filter?: RunFilter): Promise<RunListing[]>;
  /** A run id, a label (the newest run carrying it), a unique prefix of an id, or `latest`; of `kind` when given. */
  resolve(reference: string, kind?: RunKind): Promise<string>;
  load(runId: string): Promise<StoredRun>;
}

/** A run reference that matches no run, or more than one. */
export class RunNotFoundError extends Error {
  override readonly name = "RunNotFoundError";
}
