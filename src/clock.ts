// The one clock every interval is measured with: CLOCK_MONOTONIC in
// nanoseconds. Wall-clock time (Date, QMP event timestamps) never enters an
// interval, because NTP may step it.
export type Nanoseconds = bigint;

export function monotonicNow(): Nanoseconds {
  return process.hrtime.bigint();
}

export function nsToMs(ns: Nanoseconds | number): number {
  return Number(ns) / 1e6;
}
