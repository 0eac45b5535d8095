// The default branch's commits since the activity window's start, read through
// readAll like every other connection: one chain, page after page of 100 from
// the overview's first page on, following endCursor while GitHub says more
// follow.
import type { GitHubClient, RequestContext } from "../client.js";
import { CommitHistoryPageAnswerSchema, COMMIT_HISTORY_PAGE_QUERY, type CommitAuthor } from "../queries/commit-history-page.js";
import { PAGE_SIZE } from "../queries/common.js";
import type { Release } from "../request-limiter.js";
import type { Candidate, Take } from "./bundle.js";
import type { PageRead } from "./page-guard.js";
import type { Answered, ReadSource } from "./read-all.js";

interface CommitPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Array<{ author: CommitAuthor }>;
}

export interface CommitHistoryReadsOptions {
  client: GitHubClient;
  base: { owner: string; name: string };
  context: (what: string) => RequestContext;
  activitySince: Date;
  /** The overview's first page, with the total. */
  first: CommitPage;
  onAnswer?: () => void;
}

/** The history is one chain; this object stands for it. */
interface Chain {
  cursor: string | null;
}

export class CommitHistoryReads implements ReadSource<Chain> {
  readonly label = "commits";
  readonly totalCount: number;
  readonly opening: PageRead[];
  private readonly chain: Chain;
  private readonly authors: CommitAuthor[];
  private hasNextPage: boolean;
  private inFlight = false;
  private read: number;
  private pages = 1;

  constructor(private readonly options: CommitHistoryReadsOptions) {
    const { first } = options;
    this.totalCount = first.totalCount;
    this.read = first.nodes.length;
    this.authors = first.nodes.map((n) => n.author);
    this.chain = { cursor: first.pageInfo.endCursor };
    this.hasNextPage = first.pageInfo.hasNextPage;
    this.opening = [{ chain: this.chain, what: "overview", askedWith: null, next: first.pageInfo.endCursor, hasMore: first.pageInfo.hasNextPage, nodes: first.nodes.length }];
  }

  /** What is left by the count, at least one while GitHub says more follow. */
  unassigned(): number {
    return this.hasNextPage && !this.inFlight ? Math.max(1, this.totalCount - this.read) : 0;
  }

  candidates(): Array<Candidate<Chain>> {
    return this.unassigned() > 0 ? [{ end: this.chain, pool: { unassigned: this.unassigned() }, next: PAGE_SIZE }] : [];
  }

  done(): boolean {
    return !this.hasNextPage && !this.inFlight;
  }

  requestsLeft(): number {
    return this.hasNextPage && !this.inFlight ? Math.max(1, Math.ceil((this.totalCount - this.read) / PAGE_SIZE)) : 0;
  }

  /** Every commit's author read, the overview's first page included. */
  commitAuthors(): CommitAuthor[] {
    return this.authors;
  }

  async send(_takes: Array<Take<Chain>>, slot: Release): Promise<Answered> {
    const { client, base, context, activitySince } = this.options;
    this.inFlight = true;
    this.pages += 1;
    const what = `commit history page ${this.pages}`;
    const askedWith = this.chain.cursor;
    let answer;
    try {
      answer = await client.query(
        COMMIT_HISTORY_PAGE_QUERY,
        { ...base, activitySince: activitySince.toISOString(), cursor: askedWith },
        CommitHistoryPageAnswerSchema,
        context(what),
        { points: 1, slot },
      );
    } finally {
      slot();
    }
    const page = answer.repository.defaultBranchRef.target.history;
    return {
      pages: [{ chain: this.chain, what, askedWith, next: page.pageInfo.endCursor, hasMore: page.pageInfo.hasNextPage, nodes: page.nodes.length }],
      record: () => {
        this.inFlight = false;
        this.read += page.nodes.length;
        this.authors.push(...page.nodes.map((n) => n.author));
        this.chain.cursor = page.pageInfo.endCursor;
        this.hasNextPage = page.pageInfo.hasNextPage;
        this.options.onAnswer?.();
      },
    };
  }
}
