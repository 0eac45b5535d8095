// Issues read as independent chains: the issues in order of last update, cut
// into windows of update time, each read forward from its start
// (filterBy.since) by as many as it holds. GitHub counts the issues updated
// since any instant, so a window's size is known before it is read; the counts
// that bound a window come from one answer, so they agree with each other. The
// overview counts at instants spread over the past (updateCountInstants); a
// window still too long is cut by counts at instants spread over its span,
// carried by the request that first reads it.
//
// Exactly once: an issue updated while the windows are read moves to the end
// of the order, into the last window, which is open-ended and read until
// GitHub says there is no next page. Every request also counts the issues
// updated in the last hour, before and after its slices (GitHub answers a
// query's fields in order); when that count grows past what the last window
// had covered when it reached its end, something moved (or was opened) since,
// and the last window reads on (issue-reads.ts). So an issue is read either where
// it was or, if it moved before being read, at the end. Reads that overlap (a
// read by count running past its window when issues moved out of it) are
// merged by id, keeping the latest version.
import { PAGE_SIZE } from "../queries/common.js";
import type { IssueNode } from "../queries/issue-node.js";
import type { SliceAnswer, SliceRead } from "../queries/slices.js";
import type { Candidate, Take } from "./bundle.js";

const HOUR_MS = 3_600_000;
const YEAR_MS = 365.25 * 24 * HOUR_MS;
/** The overview's instants run from this long ago... */
const NEWEST_COUNT_AGE_MS = HOUR_MS;
/** ...to this long ago, spaced evenly on a log scale. */
const OLDEST_COUNT_AGE_MS = 25 * YEAR_MS;
/** A window longer than this many times the target is cut by its first read. */
const CUT_FACTOR = 1.5;
/**
 * Issue counts a request carries at most: each adds a connection to its cost,
 * and a request of 100 nodes with this many more still costs what a page does.
 */
const MAX_COUNTS_PER_REQUEST = 40;

/** Instants to count the issues updated since, oldest first, to whole seconds. */
export function updateCountInstants(now: Date, count: number): string[] {
  const ratio = OLDEST_COUNT_AGE_MS / NEWEST_COUNT_AGE_MS;
  return Array.from({ length: count }, (_, i) => iso(wholeSecond(now.getTime() - OLDEST_COUNT_AGE_MS / ratio ** (i / (count - 1)))));
}

const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A run of the update order: [since, until), or [since, ∞) for the last one. */
export class IssueWindow {
  /** Nodes read so far (by count: a read of n nodes advances n). */
  read = 0;
  /** Nodes asked for by the request under way. */
  assigned = 0;
  /** Where the next read starts; null before the first. */
  cursor: string | null = null;
  inFlight = false;
  /** False once it cannot be cut any finer (its issues share one second). */
  cuttable = true;
  /** Read to its end (open-ended: GitHub said there is no next page). */
  finished = false;

  constructor(
    /** ms; null: from the first issue on. */
    readonly since: number | null,
    /** ms; null: open-ended, to the last issue. */
    readonly until: number | null,
    /** Issues in the window when it was counted (open-ended: more may arrive, and it is read once at least). */
    public count: number,
    /** Where its issues were counted to lie (ms; null: unknown, the repository's creation or now): the span a cut divides. */
    readonly span: { from: number | null; to: number | null } = { from: since, to: until },
  ) {}

  get started(): boolean {
    return this.cursor !== null || this.read > 0;
  }

  /** Nodes still to ask for. */
  get unassigned(): number {
    return this.finished ? 0 : Math.max(0, this.count - this.read - this.assigned);
  }

  get done(): boolean {
    return !this.inFlight && (this.finished || (this.until !== null && this.read >= this.count));
  }
}

/** An instant and how many issues were updated at or after it; `at` null: the very start (all issues). */
export interface SuffixCount {
  at: number | null;
  count: number;
}

/**
 * Windows over [start, end) from the counts at the instants between: the
 * buckets holding issues, merged in order while a window stays within
 * windowSize (a longer bucket is a window of its own, to be cut). Empty
 * buckets at a window's edges are left out: no issue can enter them (an issue
 * updated goes to the end of the order, a new one too), so a window's span is
 * where its issues are and a cut always narrows it. `end.at` null: the last
 * window is open-ended (and `end.count` is 0), and read once at least.
 */
export function windowsFrom(start: SuffixCount, points: readonly SuffixCount[], end: SuffixCount, windowSize: number): IssueWindow[] {
  const boundaries = [start, ...points, end];
  const runs: Array<{ since: number | null; to: number | null; count: number }> = [];
  for (let k = 0; k + 1 < boundaries.length; k++) {
    const inBucket = boundaries[k]!.count - boundaries[k + 1]!.count;
    if (inBucket <= 0) continue;
    const run = runs.at(-1);
    const to = boundaries[k + 1]!.at;
    if (run && run.count + inBucket <= windowSize) {
      run.count += inBucket;
      run.to = to;
    } else {
      runs.push({ since: boundaries[k]!.at, to, count: inBucket });
    }
  }
  if (end.at === null && runs.length === 0) runs.push({ since: start.at, to: null, count: 1 });
  return runs.map((run, k) => {
    const last = k === runs.length - 1;
    const until = last && end.at === null ? null : run.to;
    return new IssueWindow(run.since, until, last && end.at === null ? Math.max(1, run.count) : run.count, { from: run.since, to: run.to });
  });
}

/** The first windows, from the overview's counts. */
export function planWindows(total: number, instants: readonly string[], counts: readonly number[], windowSize: number): IssueWindow[] {
  if (total === 0) return [];
  const points = instants.map((instant, i) => ({ at: Date.parse(instant), count: counts[i]! })).sort((a, b) => a.at! - b.at!);
  return windowsFrom({ at: null, count: total }, points, { at: null, count: 0 }, windowSize);
}

/** Not started, longer than CUT_FACTOR × windowSize, and still divisible. */
export function needsCut(w: IssueWindow, windowSize: number): boolean {
  return !w.started && !w.inFlight && w.cuttable && w.count > CUT_FACTOR * windowSize;
}

/**
 * The windows a request may read from now: those not under way with something
 * left; what is over a window's full pages goes first (not for one that is
 * about to be cut: its size will change).
 */
export function readyWindows(windows: readonly IssueWindow[], windowSize: number): Array<Candidate<IssueWindow>> {
  return windows
    .filter((w) => !w.inFlight && w.unassigned > 0)
    .map((w) => ({ end: w, pool: w, ...(needsCut(w, windowSize) || w.unassigned % PAGE_SIZE === 0 ? {} : { next: w.unassigned % PAGE_SIZE }) }));
}

/** Counts that cut a window: at its start (null: all issues), at instants spread over its span, at its end. */
export interface Cut {
  window: IssueWindow;
  points: number[];
  /** The instants to count, in the order the answer gives them. */
  instants: Array<string | null>;
}

/**
 * Counts at instants spread evenly over the window's span (`earliest` and
 * `latest`, the repository's creation and the collection's start, stand in
 * where the span is open); undefined when the span cannot be divided (the
 * window is then not cut again).
 */
export function planCut(w: IssueWindow, windowSize: number, earliest: number, latest: number, maxCounts = MAX_COUNTS_PER_REQUEST): Cut | undefined {
  const from = w.span.from ?? Math.min(earliest, w.span.to ?? latest);
  const to = w.span.to ?? latest;
  // Counts at its start and end, and at the points between.
  const parts = Math.min(maxCounts - 1, Math.ceil(w.count / windowSize));
  const points: number[] = [];
  for (let k = 1; k < parts; k++) {
    const at = wholeSecond(from + ((to - from) * k) / parts);
    if (at > (points.at(-1) ?? from) && at < to && (w.since === null || at > w.since)) points.push(at);
  }
  if (parts < 2) return undefined;
  if (points.length === 0) {
    w.cuttable = false;
    return undefined;
  }
  return { window: w, points, instants: [w.since === null ? null : iso(w.since), ...points.map(iso), ...(w.until === null ? [] : [iso(w.until)])] };
}

/** The windows that replace a cut one, none of them started. */
export function applyCut(cut: Cut, counts: readonly number[], windowSize: number): IssueWindow[] {
  const w = cut.window;
  const start = { at: w.since, count: counts[0]! };
  const points = cut.points.map((at, k) => ({ at, count: counts[k + 1]! }));
  const end = w.until === null ? { at: null, count: 0 } : { at: w.until, count: counts[cut.points.length + 1]! };
  return windowsFrom(start, points, end, windowSize);
}

/** What a request reads from a window. */
export interface WindowRead {
  window: IssueWindow;
  size: number;
  read: SliceRead;
}

export function windowRead(take: Take<IssueWindow>): WindowRead {
  const w = take.end;
  w.assigned += take.size;
  w.inFlight = true;
  return { window: w, size: take.size, read: { first: take.size, after: w.cursor, since: w.since === null ? null : iso(w.since) } };
}

/** Records a read's answer. */
export function applyRead(read: WindowRead, answer: SliceAnswer<IssueNode>): void {
  const w = read.window;
  w.inFlight = false;
  w.assigned -= read.size;
  w.read += read.size;
  if (answer.pageInfo.endCursor) w.cursor = answer.pageInfo.endCursor;
  if (!answer.pageInfo.hasNextPage) w.finished = true;
  if (w.until === null && w.read >= w.count && !w.finished) {
    // Issues updated while the windows were read have arrived at the end: read on.
    w.count = w.read + PAGE_SIZE;
  }
}

/**
 * A window read and cut by the same request: its parts, the first holding what
 * the read got. The read started at the window's start, so it reached every
 * part up to the one holding the last issue it got; those are one window now.
 */
export function applyReadAndCut(read: WindowRead, answer: SliceAnswer<IssueNode>, cut: Cut, counts: readonly number[], windowSize: number): IssueWindow[] {
  applyRead(read, answer);
  const parts = applyCut(cut, counts, windowSize);
  const w = read.window;
  const lastAt = answer.nodes.length > 0 ? Date.parse(answer.nodes.at(-1)!.updatedAt) : -Infinity;
  let reached = 0;
  while (reached + 1 < parts.length && (w.finished || parts[reached + 1]!.since! <= lastAt)) reached += 1;
  const first = new IssueWindow(w.since, parts[reached]!.until, parts.slice(0, reached + 1).reduce((sum, p) => sum + p.count, 0));
  Object.assign(first, { read: w.read, cursor: w.cursor, finished: w.finished });
  if (first.until === null && first.read >= first.count && !first.finished) first.count = first.read + PAGE_SIZE;
  return [first, ...parts.slice(reached + 1)];
}
