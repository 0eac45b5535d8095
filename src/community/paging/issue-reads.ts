// The issues of one repository, read as windows of update time (issue-windows.ts)
// through readAll: each request reads slices of one or more windows; the one
// that first reads a long window also carries the counts that cut it; every
// one counts the issues updated in the last hour before and after its slices,
// to see what moved while the windows were read. Issues read twice are kept
// once, in their latest version.
import type { GitHubClient, RequestContext } from "../client.js";
import { PAGE_SIZE } from "../queries/common.js";
import { ISSUE_SLICES, type IssueNode } from "../queries/issue-node.js";
import { prepareSlices } from "../queries/slices.js";
import type { Release } from "../request-limiter.js";
import type { Candidate, Take } from "./bundle.js";
import { applyRead, applyReadAndCut, needsCut, planCut, readyWindows, windowRead, type IssueWindow } from "./issue-windows.js";
import type { Answered, ReadSource } from "./read-all.js";

export interface IssueReadsOptions {
  client: GitHubClient;
  base: { owner: string; name: string };
  context: (what: string) => RequestContext;
  windows: IssueWindow[];
  /** Target issues per window, for cutting long ones. */
  windowSize: number;
  /** All issues, as the overview counted them. */
  totalCount: number;
  /** Bounds of the update times: the repository's creation and the collection's start (ms). */
  earliest: number;
  latest: number;
  /** An instant about an hour before the collection, and how many issues were updated since then at its start. */
  moved: { since: string; count: number };
  /** Called when a request is answered. */
  onAnswer?: () => void;
}

export class IssueReads implements ReadSource<IssueWindow> {
  readonly label = "issues";
  readonly totalCount: number;
  /** The overview reads no issue. */
  readonly opening = [];
  private windows: IssueWindow[];
  private readonly byId = new Map<string, IssueNode>();
  private requests = 0;
  /** The recent-update count that the last window's reads have covered so far. */
  private covered: number;

  constructor(private readonly options: IssueReadsOptions) {
    this.windows = options.windows;
    this.totalCount = options.totalCount;
    this.covered = options.moved.count;
  }

  unassigned(): number {
    return this.windows.reduce((sum, w) => sum + w.unassigned, 0);
  }

  candidates(): Array<Candidate<IssueWindow>> {
    return readyWindows(this.windows, this.options.windowSize);
  }

  done(): boolean {
    return this.windows.every((w) => w.done);
  }

  /** Requests still needed, at least. */
  requestsLeft(): number {
    return Math.ceil(this.unassigned() / PAGE_SIZE);
  }

  /** Every issue read, once each. */
  issues(): IssueNode[] {
    return [...this.byId.values()];
  }

  /** Reads the takes, and cuts a long window among them. */
  async send(takes: Array<Take<IssueWindow>>, slot: Release): Promise<Answered> {
    const { client, base, context, windowSize, earliest, latest } = this.options;
    // A long window is cut by the request that first reads it (a request reads at most one: it fills the request).
    const toCut = takes.find((t) => needsCut(t.end, windowSize))?.end;
    const cut = toCut && planCut(toCut, windowSize, earliest, latest);
    const reads = takes.map(windowRead);
    // The recent-update count before the slices and after them (last among the counts before, so the cut's counts keep their places).
    const recent = this.options.moved.since;
    const prepared = prepareSlices(ISSUE_SLICES, reads.map((r) => r.read), { before: [...(cut ? cut.instants : []), recent], after: [recent] });
    this.requests += 1;
    const what = `issues page ${this.requests}`;
    let answer;
    try {
      answer = await client.query(prepared.document, { ...base, ...prepared.variables }, prepared.schema, context(what), { points: prepared.points, slot });
    } finally {
      slot();
    }
    const { slices, countsBefore, countsAfter } = prepared.read(answer);
    return {
      pages: reads.map((read, k) => ({
        chain: read.window,
        what,
        askedWith: read.read.after ?? null,
        next: slices[k]!.pageInfo.endCursor,
        hasMore: slices[k]!.pageInfo.hasNextPage,
        nodes: slices[k]!.nodes.length,
      })),
      record: () => {
        reads.forEach((read, k) => {
          if (cut && read.window === cut.window) this.replace(read.window, applyReadAndCut(read, slices[k]!, cut, countsBefore, windowSize));
          else applyRead(read, slices[k]!);
          for (const issue of slices[k]!.nodes) this.keep(issue);
        });
        const finishedHere = reads.some((r) => r.window.until === null) && this.windows.some((w) => w.until === null && w.finished);
        this.checkMoved(finishedHere, countsBefore.at(-1)!, countsAfter[0]!);
        this.options.onAnswer?.();
      },
    };
  }

  /**
   * The issues updated in the last hour, counted before and after this
   * request's slices. When the last window was read to its end by this
   * request, everything counted before its slice is covered. Once it has been
   * read to its end, a count after any request's slices above what is covered
   * means issues moved to the end (or were opened) since: it reads on.
   */
  private checkMoved(finishedHere: boolean, before: number, after: number): void {
    const last = this.windows.find((w) => w.until === null);
    if (!last || last.inFlight || !last.finished) return;
    if (finishedHere) this.covered = before;
    if (after > this.covered) {
      last.finished = false;
      last.count = last.read + PAGE_SIZE;
    }
  }

  private replace(window: IssueWindow, by: IssueWindow[]): void {
    this.windows.splice(this.windows.indexOf(window), 1, ...by);
  }

  /** An issue read twice (it moved while the windows were read) is kept in its latest version. */
  private keep(issue: IssueNode): void {
    const known = this.byId.get(issue.id);
    if (!known || Date.parse(issue.updatedAt) >= Date.parse(known.updatedAt)) this.byId.set(issue.id, issue);
  }
}
