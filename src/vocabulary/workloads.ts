// The programs a guest can run (--workload): the same sources for every target
// (guests/workloads/<name>.c), named alike by the targets that build them and
// the results that record them. hello prints a line and exits; alloc touches
// memory; http serves HTTP until it is told to stop (docs/http.md).
export const WORKLOADS = ["hello", "alloc", "http"] as const;
export type Workload = (typeof WORKLOADS)[number];
