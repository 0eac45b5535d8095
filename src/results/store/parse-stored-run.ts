// Reads a stored document back. Every document was validated against its
// schema before it was stored (saved by `performance` or `community`, or
// imported from its JSON file), so reading checks what can differ since then,
// its kind and schema version, and does not load the schemas: zod alone takes
// about as long to load as Node itself starts, and `export` or `compare` in a
// script's loop would pay that on every call.
import type { CommunityRun } from "../community-run-schema.js";
import type { DensityRun } from "../density-schema.js";
import { upgradeDensityDocument } from "../density-upgrade.js";
import type { PerformanceRun } from "../schema.js";
import { COMMUNITY_RUN_SCHEMA_VERSION, DENSITY_SCHEMA_VERSION, PERFORMANCE_SCHEMA_VERSION } from "../schema-versions.js";
import { communityStoredRun, densityStoredRun, performanceStoredRun, type StoredRun } from "./stored-run.js";

const SCHEMA_VERSIONS: Record<StoredRun["kind"], number> = {
  performance: PERFORMANCE_SCHEMA_VERSION,
  community: COMMUNITY_RUN_SCHEMA_VERSION,
  density: DENSITY_SCHEMA_VERSION,
};

export function parseStoredRun(kind: string, json: string): StoredRun {
  if (kind !== "performance" && kind !== "community" && kind !== "density") throw new Error(`unknown run kind "${kind}" in the store`);
  const document = upgradeDensityDocument(JSON.parse(json)) as { kind?: unknown; schemaVersion?: unknown; runId?: unknown };
  if (document.kind !== kind || document.schemaVersion !== SCHEMA_VERSIONS[kind]) {
    throw new Error(
      `run ${String(document.runId)} is stored as a ${String(document.kind)} document of schema version ${String(document.schemaVersion)}; ` +
        `this benchmark-tool reads ${kind} documents of version ${SCHEMA_VERSIONS[kind]} (a newer benchmark-tool may have written it)`,
    );
  }
  if (kind === "density") return densityStoredRun(document as DensityRun);
  return kind === "performance" ? performanceStoredRun(document as PerformanceRun) : communityStoredRun(document as CommunityRun);
}
