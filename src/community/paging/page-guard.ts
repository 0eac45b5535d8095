// The check every page of every paginated read passes before it is recorded
// (readAll runs it): a connection whose pages do not advance would otherwise
// be read until the token's rate limit runs out. A page is refused, and the
// repository fails with the query named, when it comes back with the cursor it
// was asked with or one its chain of pages already gave (it would be read
// again and again), when it is empty yet says more follow, when it says more
// follow but gives no cursor to ask for them by, or when the nodes read from
// the connection exceed the totalCount it reported by more than items added
// while reading could explain.
import { CommunityError } from "../errors.js";
import { PAGE_SIZE } from "../queries/common.js";

/** One page as the guard sees it. */
export interface PageRead {
  /** The chain of pages it continues (a window of issues, an end of the pull requests, the commit history): cursors advance along it. */
  chain: object;
  /** The request that read it, as messages name it ("issues page 4"). */
  what: string;
  /** The cursor it was asked with; null for a chain's first read. */
  askedWith: string | null;
  /** The cursor its chain goes on from, as answered (endCursor forwards, startCursor backwards); null for an empty page. */
  next: string | null;
  /** Whether the answer says more follow in the read's direction; undefined when the query does not ask. */
  hasMore?: boolean;
  nodes: number;
}

export interface GuardedConnection {
  /** What the connection holds, plural ("issues", "commits"). */
  label: string;
  repository: string;
  /** The nodes GitHub counted in the connection. */
  totalCount: number;
}

/**
 * The nodes a connection may yield beyond its totalCount: items opened while
 * it is read, and issues read twice because they were updated meanwhile. A
 * page, and a twentieth of the total, is far more than a collection of a few
 * minutes sees, and far less than a connection that never ends reads.
 */
export function readAllowance(totalCount: number): number {
  return totalCount + PAGE_SIZE + Math.ceil(totalCount / 20);
}

export class PageGuard {
  private readonly seen = new WeakMap<object, Set<string>>();
  private nodesRead = 0;

  constructor(private readonly connection: GuardedConnection) {}

  /** Throws a CommunityError naming the query when the page cannot be part of a read that ends. */
  check(page: PageRead): void {
    const { label, repository, totalCount } = this.connection;
    const query = `the ${page.what} query for ${repository}`;
    const broken = `the server (or a proxy before it) does not page ${label} as GitHub does; nothing was reported for ${repository}`;
    if (page.next !== null && page.next === page.askedWith) {
      throw new CommunityError(`${query} came back with the very cursor it was asked with, so the next page would be this one again: stopped rather than loop; ${broken}`);
    }
    const seen = this.seen.get(page.chain) ?? new Set<string>();
    this.seen.set(page.chain, seen);
    if (page.next !== null && seen.has(page.next)) {
      throw new CommunityError(`${query} came back with a cursor an earlier page of the same ${label} already gave, so the pages go round in a circle: stopped rather than loop; ${broken}`);
    }
    if (page.askedWith !== null) seen.add(page.askedWith);
    if (page.next !== null) seen.add(page.next);
    if (page.hasMore && page.nodes === 0) {
      throw new CommunityError(`${query} returned no ${label} yet said more follow: stopped rather than ask for the same empty page again; ${broken}`);
    }
    if (page.hasMore && page.next === null) {
      throw new CommunityError(`${query} said more ${label} follow but gave no cursor to ask for them by; ${broken}`);
    }
    this.nodesRead += page.nodes;
    const allowed = readAllowance(totalCount);
    if (this.nodesRead > allowed) {
      throw new CommunityError(
        `${this.nodesRead} ${label} were read for ${repository}, more than the ${totalCount} GitHub counted (and up to ${allowed - totalCount} more added while reading): the pages do not end; stopped at ${query}; ${broken}`,
      );
    }
  }
}
