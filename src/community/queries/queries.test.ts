// Every query the tool sends must be valid against GitHub's published schema.
import { validate } from "@octokit/graphql-schema";
import { describe, expect, it } from "vitest";
import { COMMIT_HISTORY_PAGE_QUERY } from "./commit-history-page.js";
import { ISSUES_PAGE_QUERY } from "./issues-page.js";
import { OVERVIEW_QUERY } from "./overview.js";
import { PULL_REQUESTS_PAGE_QUERY } from "./pull-requests-page.js";

describe("queries against GitHub's published schema", () => {
  it.each([
    ["overview", OVERVIEW_QUERY],
    ["issues page", ISSUES_PAGE_QUERY],
    ["pull requests page", PULL_REQUESTS_PAGE_QUERY],
    ["commit history page", COMMIT_HISTORY_PAGE_QUERY],
  ])("%s validates", (_name, query) => {
    expect(validate(query).map((e) => e.message)).toEqual([]);
  });
});
