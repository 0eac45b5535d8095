// Stand-in repositories. "tiny" is written by hand with its answers worked out
// in the test; the generated ones follow simple formulas over the item index,
// so their true answers are known (expected.ts derives them from the raw data).
import { seededRandom } from "../helpers/seeded-random.js";
import type { FakeComment, FakeCommit, FakeIssue, FakePullRequest, FakeRepository, Login } from "./model.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Every fixture is dated relative to this instant, far from any 90-day boundary. */
export function fixtureClock(anchorMs: number) {
  return {
    hoursAgo: (hours: number) => new Date(anchorMs - hours * HOUR_MS).toISOString(),
    daysAgo: (days: number) => new Date(anchorMs - days * DAY_MS).toISOString(),
    plusHours: (iso: string, hours: number) => new Date(Date.parse(iso) + hours * HOUR_MS).toISOString(),
  };
}

const allFiles = (present: boolean) => ({
  code_of_conduct: present,
  contributing: present,
  issue_template: present,
  pull_request_template: present,
  license: present,
  readme: present,
});

/**
 * acme/tiny, all dates in days ago (d) and hours after opening (+h):
 *  issue 1 alice  d200, closed +10h; comments alice +1h, bob +3h      -> response 3h, close 10h
 *  issue 2 ghost  d30,  closed +20h; comments ghost +1h, carol +4h    -> response 4h, close 20h
 *  issue 3 dave   d10,  open;        comments ghost +2h               -> response 2h
 *  PR 1 alice d100 merged +6h, 2 commits; review bob +1h, 1 comment by alice
 *  PR 2 bob   d20  closed, 4 commits; comment alice +5h
 *  PR 3 carol d5   open, 3 commits; no response
 *  commits (default branch): alice d1, alice d2, ghost(no login) d3, bob d200
 */
export function tinyRepository(anchorMs: number): FakeRepository {
  const { daysAgo, plusHours } = fixtureClock(anchorMs);
  const issue = (author: string | null, opened: string, closeAfterHours: number | null, comments: Array<[string | null, number]>): FakeIssue => ({
    author,
    createdAt: opened,
    closedAt: closeAfterHours === null ? null : plusHours(opened, closeAfterHours),
    comments: comments.map(([a, h]) => ({ author: a, createdAt: plusHours(opened, h) })),
  });
  const d200 = daysAgo(200);
  const d30 = daysAgo(30);
  const d10 = daysAgo(10);
  const d100 = daysAgo(100);
  const d20 = daysAgo(20);
  const d5 = daysAgo(5);
  return {
    owner: "acme",
    name: "tiny",
    stars: 42,
    forks: 7,
    hasWiki: true,
    issues: [
      issue("alice", d200, 10, [["alice", 1], ["bob", 3]]),
      issue(null, d30, 20, [[null, 1], ["carol", 4]]),
      issue("dave", d10, null, [[null, 2]]),
    ],
    pullRequests: [
      { author: "alice", createdAt: d100, state: "MERGED", mergedAt: plusHours(d100, 6), commitCount: 2, comments: [{ author: "alice", createdAt: plusHours(d100, 2) }], reviews: [{ author: "bob", submittedAt: plusHours(d100, 1) }] },
      { author: "bob", createdAt: d20, state: "CLOSED", mergedAt: null, commitCount: 4, comments: [{ author: "alice", createdAt: plusHours(d20, 5) }], reviews: [] },
      { author: "carol", createdAt: d5, state: "OPEN", mergedAt: null, commitCount: 3, comments: [], reviews: [] },
    ],
    releases: [
      { createdAt: daysAgo(300), publishedAt: daysAgo(300) },
      { createdAt: daysAgo(50), publishedAt: daysAgo(49) },
    ],
    commits: [
      { committedDate: daysAgo(1), author: { name: "Alice", email: "alice@example.org", login: "alice" } },
      { committedDate: daysAgo(2), author: { name: "Alice", email: "ALICE@example.org", login: "alice" } },
      { committedDate: daysAgo(3), author: { name: "Gone", email: "gone@example.org", login: null } },
      { committedDate: daysAgo(200), author: { name: "Bob", email: "bob@example.org", login: "bob" } },
    ],
    profile: { health_percentage: 85, content_reports_enabled: true, files: { ...allFiles(true), issue_template: false } },
  };
}

export interface GeneratedSpec {
  owner: string;
  name: string;
  issueCount: number;
  pullRequestCount: number;
  recentCommitCount: number;
}

/**
 * Item i is recent (30 days old) when i % 3 == 0, else 200 days old; issues
 * close when i % 4 != 0, after i % 5 + 1 hours; every tenth author is a
 * deleted account; comments alternate between the author and responders.
 */
export function generatedRepository(anchorMs: number, spec: GeneratedSpec): FakeRepository {
  const { daysAgo, plusHours } = fixtureClock(anchorMs);
  const openedAt = (i: number) => plusHours(daysAgo(i % 3 === 0 ? 30 : 200), -i / 60);
  const author = (i: number) => (i % 10 === 7 ? null : `user${i % 13}`);
  const comments = (i: number, opened: string): FakeComment[] =>
    Array.from({ length: i % 4 }, (_, k) => ({
      author: k === 0 && i % 2 === 0 ? author(i) : k === 2 ? null : `responder${k}`,
      createdAt: plusHours(opened, (k + 1) * ((i % 3) + 1)),
    }));
  const issues: FakeIssue[] = Array.from({ length: spec.issueCount }, (_, i) => {
    const opened = openedAt(i);
    return { author: author(i), createdAt: opened, closedAt: i % 4 === 0 ? null : plusHours(opened, (i % 5) + 1), comments: comments(i, opened) };
  });
  const pullRequests: FakePullRequest[] = Array.from({ length: spec.pullRequestCount }, (_, i) => {
    const opened = openedAt(i);
    const state = i % 5 === 0 ? "OPEN" : i % 5 === 1 ? "CLOSED" : "MERGED";
    return {
      author: author(i),
      createdAt: opened,
      state,
      mergedAt: state === "MERGED" ? plusHours(opened, (i % 7) + 2) : null,
      commitCount: (i % 6) + 1,
      comments: comments(i, opened),
      reviews: i % 2 === 1 ? [{ author: `reviewer${i % 3}`, submittedAt: plusHours(opened, 0.5 * ((i % 4) + 1)) }] : [],
    };
  });
  const commits: FakeCommit[] = [
    ...Array.from({ length: spec.recentCommitCount }, (_, i) => ({
      committedDate: plusHours(daysAgo(1), -i),
      author: { name: `Dev ${i % 17}`, email: `dev${i % 17}@example.org`, login: i % 17 === 16 ? null : `dev${i % 17}` },
    })),
    { committedDate: daysAgo(365), author: { name: "Old", email: "old@example.org", login: "old" } },
  ];
  return {
    owner: spec.owner,
    name: spec.name,
    stars: spec.issueCount * 3,
    forks: spec.pullRequestCount,
    hasWiki: false,
    issues,
    pullRequests,
    releases: [],
    commits,
    profile: { health_percentage: 100, content_reports_enabled: false, files: allFiles(true) },
  };
}

/** A repository without issues, pull requests, releases or commits. */
export function emptyRepository(owner: string, name: string): FakeRepository {
  return { owner, name, stars: 0, forks: 0, hasWiki: false, issues: [], pullRequests: [], releases: [], commits: null, profile: { health_percentage: 0, content_reports_enabled: false, files: allFiles(false) } };
}

export interface SpreadSpec extends GeneratedSpec {
  /** Issues and pull requests are opened over this many years up to the anchor, more of them lately. */
  years: number;
  seed?: number;
}

/**
 * A repository whose activity is spread over years as a real one's is: items
 * opened more often lately, most closed after hours to months, answered after
 * minutes to days, a few touched again long after. Its true answers come from
 * expected.ts like the others'.
 */
export function spreadRepository(anchorMs: number, spec: SpreadSpec): FakeRepository {
  const random = seededRandom(spec.seed ?? 1);
  const spanMs = spec.years * 365 * DAY_MS;
  // Growth: the density of openings rises linearly, so the age is spanMs × (1 - sqrt(u)).
  const openedAt = () => anchorMs - HOUR_MS - Math.floor(spanMs * (1 - Math.sqrt(random())));
  const iso = (ms: number) => new Date(Math.min(ms, anchorMs - 60_000)).toISOString();
  const login = () => (random() < 0.05 ? null : `user${Math.floor(random() * 400)}`);
  const comments = (opened: number, author: Login): FakeComment[] => {
    const n = Math.floor(random() * random() * 8);
    let at = opened;
    return Array.from({ length: n }, () => {
      at += Math.floor(random() * random() * 30 * DAY_MS) + 60_000;
      return { author: random() < 0.3 ? author : login(), createdAt: iso(at) };
    });
  };
  const touchedLater = (opened: number, dates: number[]) => {
    const latest = Math.max(opened, ...dates);
    // A few items get a label or an edit long after their last comment.
    return random() < 0.05 ? iso(latest + Math.floor(random() * (anchorMs - latest))) : undefined;
  };
  const issues: FakeIssue[] = Array.from({ length: spec.issueCount }, () => {
    const opened = openedAt();
    const author = login();
    const c = comments(opened, author);
    const closed = random() < 0.8 ? opened + Math.floor(random() * random() * 120 * DAY_MS) + HOUR_MS : null;
    const updatedAt = touchedLater(opened, [...c.map((x) => Date.parse(x.createdAt)), ...(closed ? [closed] : [])]);
    return { author, createdAt: iso(opened), closedAt: closed && closed < anchorMs ? iso(closed) : null, comments: c, ...(updatedAt ? { updatedAt } : {}) };
  });
  const pullRequests: FakePullRequest[] = Array.from({ length: spec.pullRequestCount }, () => {
    const opened = openedAt();
    const author = login();
    const state = random() < 0.1 ? "OPEN" : random() < 0.25 ? "CLOSED" : "MERGED";
    const merged = state === "MERGED" ? Math.min(opened + Math.floor(random() * 20 * DAY_MS) + HOUR_MS, anchorMs - 60_000) : null;
    const reviews = Array.from({ length: Math.floor(random() * 3) }, () => ({ author: login(), submittedAt: iso(opened + Math.floor(random() * 5 * DAY_MS)) }));
    return { author, createdAt: iso(opened), state, mergedAt: merged ? iso(merged) : null, commitCount: 1 + Math.floor(random() * 9), comments: comments(opened, author), reviews };
  });
  const commits: FakeCommit[] = Array.from({ length: spec.recentCommitCount }, (_, i) => ({
    committedDate: new Date(anchorMs - HOUR_MS - i * 5 * HOUR_MS).toISOString(),
    author: { name: `Dev ${i % 23}`, email: `dev${i % 23}@example.org`, login: i % 23 === 22 ? null : `dev${i % 23}` },
  }));
  return {
    owner: spec.owner,
    name: spec.name,
    createdAt: new Date(anchorMs - spanMs - DAY_MS).toISOString(),
    stars: spec.issueCount * 2,
    forks: Math.floor(spec.issueCount / 5),
    hasWiki: true,
    issues,
    pullRequests,
    releases: [{ createdAt: new Date(anchorMs - 40 * DAY_MS).toISOString(), publishedAt: new Date(anchorMs - 39 * DAY_MS).toISOString() }],
    commits: [...commits, { committedDate: new Date(anchorMs - spanMs).toISOString(), author: { name: "First", email: "first@example.org", login: "first" } }],
    profile: { health_percentage: 87, content_reports_enabled: true, files: allFiles(true) },
  };
}
