// One GitHub stand-in and one results directory for a whole test file, with
// the stand-in's faults and recorded requests cleared before each test: what
// every end-to-end community file sets up the same way.
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { FakeRepository } from "../github-standin/model.js";
import { startGitHubStandin, type GitHubStandin, type RecordedRequest } from "../github-standin/server.js";
import { temporaryResultsDir } from "./run-cli.js";

export interface StandinSuite {
  /** The running stand-in (from beforeAll on). */
  readonly standin: GitHubStandin;
  /** Where the file's runs are stored (from beforeAll on). */
  readonly resultsDir: string;
  /** --api-url and --results-dir, to add to a community command line. */
  common(): string[];
  /** The requests of one operation for one repository ("acme/tiny"), in arrival order. */
  requestsOf(repository: string, operation: string): RecordedRequest[];
}

export function useStandinSuite(repositories: FakeRepository[]): StandinSuite {
  let standin: GitHubStandin | undefined;
  let results: Awaited<ReturnType<typeof temporaryResultsDir>> | undefined;
  beforeAll(async () => {
    standin = await startGitHubStandin({ repositories });
    results = await temporaryResultsDir();
  });
  afterAll(async () => {
    await standin?.close();
    await results?.remove();
  });
  beforeEach(() => standin!.reset());

  const suite: StandinSuite = {
    get standin() {
      if (!standin) throw new Error("the stand-in starts in beforeAll: use it inside a test");
      return standin;
    },
    get resultsDir() {
      if (!results) throw new Error("the results directory is made in beforeAll: use it inside a test");
      return results.dir;
    },
    common: () => ["--api-url", suite.standin.url, "--results-dir", suite.resultsDir],
    requestsOf: (repository, operation) => suite.standin.requests.filter((r) => r.repository === repository && r.operation === operation),
  };
  return suite;
}
