// The programs a guest can run (--workload): the same sources for every target
// (guests/workloads/<name>.c), named alike by the targets that build them and
// the results that record them.
export const WORKLOADS = ["hello", "alloc"] as const;
export type Workload = (typeof WORKLOADS)[number];
