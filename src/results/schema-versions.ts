// The versions of the run documents (src/results/schema.ts,
// src/results/community-run-schema.ts, src/results/density-schema.ts); bump one
// when a change would break a reader.
export const PERFORMANCE_SCHEMA_VERSION = 1;
export const COMMUNITY_RUN_SCHEMA_VERSION = 1;
/** 2: the VMs' and rounds' times in nanoseconds (bootNs), as performance's iterations have them. */
export const DENSITY_SCHEMA_VERSION = 2;
