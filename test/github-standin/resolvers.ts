// Resolves GitHub's schema over FakeRepository data. graphql-js' default
// resolvers call functions found on the value, so each connection is a
// function of its arguments; interfaces resolve through __typename.
import { GraphQLError } from "graphql";
import type { FakeComment, FakeRepository, Login } from "./model.js";

export class NotFoundError extends Error {}

const MAX_PAGE = 100;

interface ConnectionArgs {
  first?: number;
  after?: string;
  last?: number;
}

const encodeCursor = (index: number) => Buffer.from(`cursor:${index}`).toString("base64");
const decodeCursor = (cursor: string) => Number(Buffer.from(cursor, "base64").toString().replace("cursor:", ""));

/** GitHub's connection rules: at most 100 per page; nodes need first or last. */
function connection<T>(items: T[], args: ConnectionArgs, toNode: (item: T) => unknown, name: string) {
  if ((args.first ?? 0) > MAX_PAGE) {
    throw new GraphQLError(`Requesting ${args.first} records on the \`${name}\` connection exceeds the \`first\` limit of ${MAX_PAGE} records.`);
  }
  const start = args.after ? decodeCursor(args.after) + 1 : 0;
  const slice = args.first === undefined ? null : items.slice(start, start + args.first);
  const needPages = () => {
    if (slice === null) throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`);
    return slice;
  };
  return {
    totalCount: items.length,
    get nodes() {
      return needPages().map(toNode);
    },
    get pageInfo() {
      const page = needPages();
      return { hasNextPage: start + page.length < items.length, endCursor: page.length > 0 ? encodeCursor(start + page.length - 1) : null };
    },
  };
}

const actor = (login: Login) => (login === null ? null : { __typename: "User", login });
const comment = (c: FakeComment) => ({ createdAt: c.createdAt, author: actor(c.author) });

function repositoryValue(repo: FakeRepository) {
  const issueState = (i: FakeRepository["issues"][number]) => (i.closedAt ? "CLOSED" : "OPEN");
  return {
    owner: { __typename: "User", login: repo.owner },
    name: repo.name,
    stargazerCount: repo.stars,
    forkCount: repo.forks,
    hasWikiEnabled: repo.hasWiki,
    issues: (args: ConnectionArgs & { states?: string[] }) =>
      connection(
        repo.issues.filter((i) => !args.states || args.states.includes(issueState(i))),
        args,
        (i) => ({
          state: issueState(i),
          createdAt: i.createdAt,
          closedAt: i.closedAt,
          author: actor(i.author),
          comments: (a: ConnectionArgs) => connection(i.comments, a, comment, "comments"),
        }),
        "issues",
      ),
    pullRequests: (args: ConnectionArgs & { states?: string[] }) =>
      connection(
        repo.pullRequests.filter((p) => !args.states || args.states.includes(p.state)),
        args,
        (p) => ({
          state: p.state,
          createdAt: p.createdAt,
          mergedAt: p.mergedAt,
          author: actor(p.author),
          commits: (a: ConnectionArgs) => connection(Array.from({ length: p.commitCount }), a, () => ({}), "commits"),
          comments: (a: ConnectionArgs) => connection(p.comments, a, comment, "comments"),
          reviews: (a: ConnectionArgs) =>
            connection(p.reviews, a, (r) => ({ submittedAt: r.submittedAt, author: actor(r.author) }), "reviews"),
        }),
        "pullRequests",
      ),
    releases: (args: ConnectionArgs & { orderBy?: { field: string; direction: "ASC" | "DESC" } }) => {
      const sorted = [...repo.releases].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      if (args.orderBy?.direction === "DESC") sorted.reverse();
      return connection(sorted, args, (r) => r, "releases");
    },
    defaultBranchRef:
      repo.commits === null
        ? null
        : {
            target: {
              __typename: "Commit",
              history: (args: ConnectionArgs & { since?: string }) =>
                connection(
                  (repo.commits ?? []).filter((c) => !args.since || Date.parse(c.committedDate) >= Date.parse(args.since)),
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
