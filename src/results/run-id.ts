import { randomBytes } from "node:crypto";

// A run's id: its start time (UTC, to the second) and four random hex digits,
// so ids sort by time and two runs started in the same second differ.
export function newRunId(startedAt: Date): string {
  const stamp = startedAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}
