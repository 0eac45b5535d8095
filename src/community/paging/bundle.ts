// Which reads go into the next request. A request carries at most PAGE_SIZE
// nodes, taken from one read or shared among several (each under its own
// alias), so that however a connection is split into chains it takes no more
// requests than reading it in pages of PAGE_SIZE from one end: with R nodes
// left to ask for, ceil(R / PAGE_SIZE) requests must remain enough after this
// one, so this one carries at least R - PAGE_SIZE * (ceil(R / PAGE_SIZE) - 1)
// nodes. Reads that would carry fewer wait for others to become ready.
import { PAGE_SIZE } from "../queries/common.js";

/** Slices per request at most: each adds a connection to the query's cost. */
export const MAX_SLICES_PER_REQUEST = 16;

/** An end that may read now, from a pool of nodes it may share with the other end. */
export interface Candidate<E> {
  end: E;
  /** The nodes still to ask for that this end reads from (two ends of a connection share one). */
  pool: { unassigned: number };
  /**
   * How many it would rather read next: a window reads what is over its full
   * pages first, so that its later reads each fill a request alone.
   */
  next?: number;
}

export interface Take<E> {
  end: E;
  size: number;
}

/** The smallest request that keeps the total at ceil(R / PAGE_SIZE). */
export function minimumRequestSize(unassigned: number): number {
  return unassigned <= 0 ? 0 : ((unassigned - 1) % PAGE_SIZE) + 1;
}

/**
 * The reads for one request, or null when none should be sent now. The ends
 * with the most left go first (they are the longest chains); an end that can
 * fill a request alone does. `unassigned` counts every node of the connection
 * not yet asked for, whether its end is ready or not. `nothingUnderWay`: no
 * other request of this connection is under way, so no end will become ready
 * by waiting, and a short request is sent rather than none.
 */
export function bundle<E>(candidates: ReadonlyArray<Candidate<E>>, unassigned: number, nothingUnderWay = false): Array<Take<E>> | null {
  const left = new Map<Candidate<E>["pool"], number>();
  const poolLeft = (c: Candidate<E>) => left.get(c.pool) ?? c.pool.unassigned;
  const ordered = candidates.filter((c) => c.pool.unassigned > 0).sort((a, b) => b.pool.unassigned - a.pool.unassigned);
  const takes: Array<Take<E>> = [];
  let size = 0;
  for (const candidate of ordered) {
    if (size === PAGE_SIZE || takes.length === MAX_SLICES_PER_REQUEST) break;
    const n = Math.min(candidate.next ?? PAGE_SIZE, poolLeft(candidate), PAGE_SIZE - size);
    if (n <= 0) continue;
    takes.push({ end: candidate.end, size: n });
    left.set(candidate.pool, poolLeft(candidate) - n);
    size += n;
  }
  return size > 0 && (nothingUnderWay || size >= minimumRequestSize(unassigned)) ? takes : null;
}
