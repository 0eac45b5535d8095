// The versions of the run documents (src/results/schema.ts,
// src/community/results-store.ts, src/results/density-schema.ts); bump one
// when a change would break a reader.
export const PERFORMANCE_SCHEMA_VERSION = 1;
export const COMMUNITY_RUN_SCHEMA_VERSION = 1;
export const DENSITY_SCHEMA_VERSION = 1;
