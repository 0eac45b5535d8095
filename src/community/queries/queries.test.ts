// Every query the tool sends must be valid against GitHub's published schema,
// and cost what the tool predicts (the prediction reserves points against the
// rate limit), by the stand-in's own reading of GitHub's formula.
import { buildClientSchema, parse } from "graphql";
import { schema as publishedSchema, validate } from "@octokit/graphql-schema";
import { describe, expect, it } from "vitest";
import { connectionRequests } from "../../../test/github-standin/query-cost.js";
import { COMMIT_HISTORY_PAGE_QUERY } from "./commit-history-page.js";
import { pointsFor } from "./common.js";
import { ISSUE_SLICES } from "./issue-node.js";
import { OVERVIEW_POINTS, OVERVIEW_QUERY, OVERVIEW_UPDATE_COUNTS } from "./overview.js";
import { PULL_REQUEST_SLICES } from "./pull-request-node.js";
import { prepareSlices } from "./slices.js";

const githubSchema = buildClientSchema(publishedSchema.json as Parameters<typeof buildClientSchema>[0]);
const since = "2026-01-01T00:00:00.000Z";

const issueBundle = prepareSlices(
  ISSUE_SLICES,
  [{ first: 60, after: null }, { first: 30, after: "Y3Vyc29y", since }, { first: 10, since }],
  { before: [null, since, "2026-02-01T00:00:00.000Z"], after: [since] },
);
const pullRequestBundle = prepareSlices(PULL_REQUEST_SLICES, [{ first: 70, after: "Y3Vyc29y" }, { last: 30, before: "Y3Vyc29y" }]);

describe("queries against GitHub's published schema", () => {
  it.each([
    ["overview", OVERVIEW_QUERY],
    ["issue slices with counts", issueBundle.document],
    ["pull request slices from both ends", pullRequestBundle.document],
    ["commit history page", COMMIT_HISTORY_PAGE_QUERY],
  ])("%s validates", (_name, query) => {
    expect(validate(query).map((e) => e.message)).toEqual([]);
  });

  it("predicts each query's points as GitHub's formula gives them", () => {
    const overviewVariables = Object.fromEntries(Array.from({ length: OVERVIEW_UPDATE_COUNTS }, (_, i) => [`updatedSince${i}`, since]));
    expect(pointsFor(connectionRequests(githubSchema, parse(OVERVIEW_QUERY), overviewVariables))).toBe(OVERVIEW_POINTS);
    expect(OVERVIEW_POINTS).toBe(1);
    for (const bundle of [issueBundle, pullRequestBundle]) {
      expect(pointsFor(connectionRequests(githubSchema, parse(bundle.document), bundle.variables))).toBe(bundle.points);
    }
    // A full request costs what a page of 100 did: 1 point for issues, 3 for pull requests.
    expect(issueBundle.points).toBe(1);
    expect(pullRequestBundle.points).toBe(3);
  });
});
