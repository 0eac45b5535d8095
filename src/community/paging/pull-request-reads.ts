// The pull requests of one repository, read from both ends towards each other:
// in creation order, forward from the overview's first ones and backward from
// its last one. Both ends are fixed by that one answer, which also gave the
// total, so the reads meet exactly: each end asks only for what the other has
// not (pull requests opened since lie beyond the last one and are not read,
// like the counts). Pull requests read twice (one was deleted meanwhile) are
// kept once.
import type { GitHubClient, RequestContext } from "../client.js";
import { PAGE_SIZE } from "../queries/common.js";
import { PULL_REQUEST_SLICES, type PullRequestNode } from "../queries/pull-request-node.js";
import { prepareSlices, type SliceAnswer } from "../queries/slices.js";
import type { Release } from "../request-limiter.js";
import type { Candidate, Take } from "./bundle.js";
import type { PageRead } from "./page-guard.js";
import type { Answered, ReadSource } from "./read-all.js";

interface End {
  direction: "forward" | "backward";
  /** Forward: the last one read (after); backward: the first one read (before). */
  cursor: string | null;
  inFlight: boolean;
}

export interface PullRequestReadsOptions {
  client: GitHubClient;
  base: { owner: string; name: string };
  context: (what: string) => RequestContext;
  /** All pull requests, from the same answer as head and tail. */
  total: number;
  head: SliceAnswer<PullRequestNode>;
  tail: SliceAnswer<PullRequestNode>;
  onAnswer?: () => void;
}

export class PullRequestReads implements ReadSource<End> {
  readonly label = "pull requests";
  readonly totalCount: number;
  readonly opening: PageRead[];
  private readonly byId = new Map<string, PullRequestNode>();
  private readonly ends: End[];
  /** Between the two ends: not yet read nor asked for. */
  private readonly pool = { unassigned: 0 };
  private underWay = 0;
  private requests = 0;

  constructor(private readonly options: PullRequestReadsOptions) {
    const { head, tail, total } = options;
    this.totalCount = total;
    for (const node of [...head.nodes, ...tail.nodes]) this.byId.set(node.id, node);
    this.pool.unassigned = head.pageInfo.hasNextPage ? Math.max(0, total - head.nodes.length - tail.nodes.length) : 0;
    this.ends = [
      { direction: "forward", cursor: head.pageInfo.endCursor, inFlight: false },
      { direction: "backward", cursor: tail.pageInfo.startCursor, inFlight: false },
    ];
    const [forward, backward] = this.ends as [End, End];
    this.opening = [
      { chain: forward, what: "overview", askedWith: null, next: head.pageInfo.endCursor, hasMore: head.pageInfo.hasNextPage, nodes: head.nodes.length },
      { chain: backward, what: "overview", askedWith: null, next: tail.pageInfo.startCursor, nodes: tail.nodes.length },
    ];
  }

  unassigned(): number {
    return this.pool.unassigned;
  }

  candidates(): Array<Candidate<End>> {
    return this.ends.filter((e) => !e.inFlight).map((end) => ({ end, pool: this.pool }));
  }

  done(): boolean {
    return this.pool.unassigned === 0 && this.underWay === 0;
  }

  requestsLeft(): number {
    return Math.ceil(this.pool.unassigned / PAGE_SIZE);
  }

  pullRequests(): PullRequestNode[] {
    return [...this.byId.values()];
  }

  async send(takes: Array<Take<End>>, slot: Release): Promise<Answered> {
    const { client, base, context } = this.options;
    for (const take of takes) {
      take.end.inFlight = true;
      this.pool.unassigned -= take.size;
    }
    this.underWay += 1;
    const prepared = prepareSlices(
      PULL_REQUEST_SLICES,
      takes.map(({ end, size }) => (end.direction === "forward" ? { first: size, after: end.cursor } : { last: size, before: end.cursor })),
    );
    this.requests += 1;
    const what = `pull requests page ${this.requests}`;
    let answer;
    try {
      answer = await client.query(prepared.document, { ...base, ...prepared.variables }, prepared.schema, context(what), { points: prepared.points, slot });
    } finally {
      slot();
    }
    const slices = prepared.read(answer).slices;
    return {
      pages: slices.map((slice, k) => {
        const { end } = takes[k]!;
        const forward = end.direction === "forward";
        // A read backwards does not ask whether more precede it: it ends where the forward one began.
        return { chain: end, what, askedWith: end.cursor, next: forward ? slice.pageInfo.endCursor : slice.pageInfo.startCursor, ...(forward ? { hasMore: slice.pageInfo.hasNextPage } : {}), nodes: slice.nodes.length };
      }),
      record: () => {
        this.underWay -= 1;
        slices.forEach((slice, k) => this.record(takes[k]!, slice));
        this.options.onAnswer?.();
      },
    };
  }

  private record({ end, size }: Take<End>, slice: SliceAnswer<PullRequestNode>): void {
    end.inFlight = false;
    end.cursor = (end.direction === "forward" ? slice.pageInfo.endCursor : slice.pageInfo.startCursor) ?? end.cursor;
    for (const node of slice.nodes) this.byId.set(node.id, node);
    // Fewer than asked: the ends have met (something was deleted meanwhile); nothing is left between them.
    if (slice.nodes.length < size) this.pool.unassigned = 0;
  }
}
