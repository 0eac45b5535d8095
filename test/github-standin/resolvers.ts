// Resolves GitHub's schema over FakeRepository data. graphql-js' default
// resolvers call functions found on the value, so each connection is a
// function of its arguments; interfaces resolve through __typename. Issues and
// pull requests carry node ids and an updatedAt (given, or the latest of their
// own dates), and order and filter as GitHub documents (orderBy, states,
// filterBy.since); what the stand-in does not implement is refused, not ignored.
import { GraphQLError } from "graphql";
import { connection, fromKey, orderedView, type ConnectionArgs, type Ordered, type OrderedView } from "./connection.js";
import type { FakeComment, FakeIssue, FakePullRequest, FakeRepository, Login } from "./model.js";

export class NotFoundError extends Error {}

const DAY_MS = 86_400_000;

interface OrderArgs {
  orderBy?: { field: "CREATED_AT" | "UPDATED_AT" | "COMMENTS"; direction: "ASC" | "DESC" } | null;
  states?: string[] | null;
  filterBy?: Record<string, unknown> | null;
  labels?: string[] | null;
}

const actor = (login: Login) => (login === null ? null : { __typename: "User", login });
const comment = (c: FakeComment) => ({ createdAt: c.createdAt, author: actor(c.author) });
const latest = (dates: Array<string | null | undefined>) => new Date(dates.reduce((max, d) => (d ? Math.max(max, Date.parse(d)) : max), 0)).toISOString();
const nodeId = (kind: string, repo: FakeRepository, n: number) => Buffer.from(`${kind}:${repo.owner}/${repo.name}#${n}`).toString("base64");

/** The node id the stand-in gives the issue at this index of repo.issues. */
export const issueNodeId = (repo: FakeRepository, index: number) => nodeId("Issue", repo, index + 1);
/** The node id the stand-in gives the pull request at this index of repo.pullRequests. */
export const pullRequestNodeId = (repo: FakeRepository, index: number) => nodeId("PullRequest", repo, index + 1);

export function issueUpdatedAt(i: FakeIssue): string {
  return i.updatedAt ?? latest([i.createdAt, i.closedAt, ...i.comments.map((c) => c.createdAt)]);
}

export function pullRequestUpdatedAt(p: FakePullRequest): string {
  return p.updatedAt ?? latest([p.createdAt, p.mergedAt, ...p.comments.map((c) => c.createdAt), ...p.reviews.map((r) => r.submittedAt)]);
}

interface Item<T> {
  value: T;
  index: number;
  id: string;
  state: string;
  createdAtMs: number;
  updatedAtMs: number;
  comments: number;
  /** The object graphql-js resolves, built on first use (the stand-in answers hundreds of pages of the same items). */
  node?: unknown;
}

// Ordered views are built once per repository, connection, order and states,
// and forgotten when a test changes the data (forgetViews).
let views = new WeakMap<FakeRepository, Map<string, OrderedView<Item<unknown>>>>();

export function forgetViews(): void {
  views = new WeakMap();
}

function ordered<T>(repo: FakeRepository, name: string, items: () => Array<Item<T>>, args: OrderArgs): OrderedView<Item<T>> {
  const unsupported = Object.entries(args.filterBy ?? {}).filter(([k, v]) => v !== null && v !== undefined && k !== "since" && k !== "states" && !(k === "viewerSubscribed" && v === false));
  if (unsupported.length || args.labels) throw new GraphQLError(`the GitHub stand-in does not implement ${unsupported.map(([k]) => `filterBy.${k}`).join(", ") || "labels"} on \`${name}\``);
  const states = [...(args.states ?? []), ...((args.filterBy?.states as string[] | undefined) ?? [])];
  const field = args.orderBy?.field ?? null;
  const descending = args.orderBy?.direction === "DESC";
  const cacheKey = `${name}|${field}|${descending}|${[...new Set(states)].sort().join(",")}`;
  let byRepo = views.get(repo);
  if (!byRepo) views.set(repo, (byRepo = new Map()));
  let view = byRepo.get(cacheKey) as OrderedView<Item<T>> | undefined;
  if (!view) {
    const key = (i: Item<T>) => (field === "CREATED_AT" ? i.createdAtMs : field === "UPDATED_AT" ? i.updatedAtMs : field === "COMMENTS" ? i.comments : i.index);
    view = orderedView(
      items().filter((i) => states.length === 0 || states.includes(i.state)),
      key,
      // Without orderBy the stand-in keeps the fixture's order.
      (i) => (field === null ? "" : i.id),
      descending,
    );
    byRepo.set(cacheKey, view as OrderedView<Item<unknown>>);
  }
  const since = args.filterBy?.since;
  if (typeof since !== "string") return view;
  const sinceMs = Date.parse(since);
  if (field === "UPDATED_AT" && !descending) return fromKey(view, sinceMs);
  // In another order: counted by bisection in update order; the items themselves only if asked for.
  const byUpdate = ordered(repo, name, items, { ...args, orderBy: { field: "UPDATED_AT", direction: "ASC" } });
  let filtered: Array<Ordered<Item<T>>> | undefined;
  return {
    get items() {
      return (filtered ??= view.items.filter((o) => o.item.updatedAtMs >= sinceMs));
    },
    start: 0,
    descending,
    count: byUpdate.items.length - byUpdate.start,
  };
}

function repositoryValue(repo: FakeRepository) {
  const issueState = (i: FakeIssue) => (i.closedAt ? "CLOSED" : "OPEN");
  const issueItems = (): Array<Item<FakeIssue>> =>
    repo.issues.map((i, index) => ({
      value: i,
      index,
      id: issueNodeId(repo, index),
      state: issueState(i),
      createdAtMs: Date.parse(i.createdAt),
      updatedAtMs: Date.parse(issueUpdatedAt(i)),
      comments: i.comments.length,
    }));
  const pullRequestItems = (): Array<Item<FakePullRequest>> =>
    repo.pullRequests.map((p, index) => ({
      value: p,
      index,
      id: pullRequestNodeId(repo, index),
      state: p.state,
      createdAtMs: Date.parse(p.createdAt),
      updatedAtMs: Date.parse(pullRequestUpdatedAt(p)),
      comments: p.comments.length,
    }));
  return {
    id: nodeId("Repository", repo, 0),
    owner: { __typename: "User", login: repo.owner },
    name: repo.name,
    createdAt: repo.createdAt ?? fallbackCreatedAt(repo),
    stargazerCount: repo.stars,
    forkCount: repo.forks,
    hasWikiEnabled: repo.hasWiki,
    issues: (args: ConnectionArgs & OrderArgs) =>
      connection(
        ordered(repo, "issues", issueItems, args),
        args,
        (item) =>
          (item.node ??= (({ value: i, id, index, updatedAtMs }) => {
            const comments = listView(i.comments);
            return {
              id,
              number: index + 1,
              state: issueState(i),
              createdAt: i.createdAt,
              updatedAt: new Date(updatedAtMs).toISOString(),
              closedAt: i.closedAt,
              author: actor(i.author),
              comments: (a: ConnectionArgs) => connection(comments, a, comment, "comments"),
            };
          })(item)),
        "issues",
      ),
    pullRequests: (args: ConnectionArgs & OrderArgs) =>
      connection(
        ordered(repo, "pullRequests", pullRequestItems, args),
        args,
        (item) =>
          (item.node ??= (({ value: p, id, index, updatedAtMs }) => {
            const [commits, comments, reviews] = [listView(Array.from({ length: p.commitCount })), listView(p.comments), listView(p.reviews)];
            return {
              id,
              number: repo.issues.length + index + 1,
              state: p.state,
              createdAt: p.createdAt,
              updatedAt: new Date(updatedAtMs).toISOString(),
              mergedAt: p.mergedAt,
              author: actor(p.author),
              commits: (a: ConnectionArgs) => connection(commits, a, () => ({}), "commits"),
              comments: (a: ConnectionArgs) => connection(comments, a, comment, "comments"),
              reviews: (a: ConnectionArgs) => connection(reviews, a, (r) => ({ submittedAt: r.submittedAt, author: actor(r.author) }), "reviews"),
            };
          })(item)),
        "pullRequests",
      ),
    releases: (args: ConnectionArgs & { orderBy?: { field: string; direction: "ASC" | "DESC" } }) =>
      connection(
        orderedView(repo.releases, (r) => Date.parse(r.createdAt), (r) => r.createdAt, args.orderBy?.direction === "DESC"),
        args,
        (r) => r,
        "releases",
      ),
    defaultBranchRef:
      repo.commits === null
        ? null
        : {
            target: {
              __typename: "Commit",
              history: (args: ConnectionArgs & { since?: string }) =>
                connection(
                  listView((repo.commits ?? []).filter((c) => !args.since || Date.parse(c.committedDate) >= Date.parse(args.since))),
                  args,
                  (c) => ({
                    committedDate: c.committedDate,
                    author: { name: c.author.name, email: c.author.email, user: c.author.login === null ? null : { login: c.author.login } },
                  }),
                  "history",
                ),
            },
          },
  };
}

/** A list in its own order (comments, reviews, commit history newest first). */
function listView<T>(items: T[]): OrderedView<T> {
  return { items: items.map((item, index) => ({ item, key: index, id: "" })), start: 0, descending: false };
}

/** A day before the repository's oldest item, when the fixture does not say. */
function fallbackCreatedAt(repo: FakeRepository): string {
  const dates = [...repo.issues.map((i) => i.createdAt), ...repo.pullRequests.map((p) => p.createdAt), ...repo.releases.map((r) => r.createdAt), ...(repo.commits ?? []).map((c) => c.committedDate)];
  const oldest = dates.reduce((min, d) => Math.min(min, Date.parse(d)), Date.parse("2020-01-01T00:00:00Z"));
  return new Date(oldest - DAY_MS).toISOString();
}

export function rootValue(repositories: FakeRepository[], rateLimit: () => unknown) {
  return {
    rateLimit,
    repository: (args: { owner: string; name: string }) => {
      const repo = repositories.find((r) => r.owner.toLowerCase() === args.owner.toLowerCase() && r.name.toLowerCase() === args.name.toLowerCase());
      if (!repo) throw new NotFoundError(`Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      return repositoryValue(repo);
    },
  };
}

export function communityProfile(repo: FakeRepository) {
  const file = (present: boolean, name: string) => (present ? { url: `https://api.github.com/repos/${repo.owner}/${repo.name}/${name}` } : null);
  const f = repo.profile.files;
  return {
    health_percentage: repo.profile.health_percentage,
    description: null,
    documentation: null,
    files: {
      code_of_conduct: file(f.code_of_conduct, "code_of_conduct"),
      code_of_conduct_file: file(f.code_of_conduct, "CODE_OF_CONDUCT.md"),
      contributing: file(f.contributing, "CONTRIBUTING.md"),
      issue_template: file(f.issue_template, "ISSUE_TEMPLATE"),
      pull_request_template: file(f.pull_request_template, "PULL_REQUEST_TEMPLATE"),
      license: file(f.license, "LICENSE"),
      readme: file(f.readme, "README.md"),
    },
    updated_at: null,
    content_reports_enabled: repo.profile.content_reports_enabled,
  };
}
