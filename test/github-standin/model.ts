// The data a stand-in repository holds. Logins are strings, or null for a
// deleted account (GitHub's "ghost", which the API returns as a null author).
export type Login = string | null;

export interface FakeComment {
  author: Login;
  createdAt: string;
}

export interface FakeIssue {
  author: Login;
  createdAt: string;
  closedAt: string | null;
  comments: FakeComment[];
  /** When absent: the latest of createdAt, closedAt and the comments' dates. */
  updatedAt?: string;
}

export interface FakePullRequest {
  author: Login;
  createdAt: string;
  state: "OPEN" | "CLOSED" | "MERGED";
  mergedAt: string | null;
  commitCount: number;
  comments: FakeComment[];
  reviews: Array<{ author: Login; submittedAt: string }>;
  /** When absent: the latest of createdAt, mergedAt and the comments' and reviews' dates. */
  updatedAt?: string;
}

export interface FakeCommit {
  committedDate: string;
  author: { name: string; email: string; login: Login };
}

export interface FakeCommunityProfile {
  health_percentage: number;
  content_reports_enabled: boolean;
  files: Record<"code_of_conduct" | "contributing" | "issue_template" | "pull_request_template" | "license" | "readme", boolean>;
}

export interface FakeRepository {
  owner: string;
  name: string;
  /** When absent: a day before the oldest item. */
  createdAt?: string;
  stars: number;
  forks: number;
  hasWiki: boolean;
  issues: FakeIssue[];
  pullRequests: FakePullRequest[];
  releases: Array<{ createdAt: string; publishedAt: string | null }>;
  /** Newest first, as the history connection returns them; null for an empty repository. */
  commits: FakeCommit[] | null;
  profile: FakeCommunityProfile;
}
