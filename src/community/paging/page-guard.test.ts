import { describe, expect, it } from "vitest";
import { PageGuard, readAllowance, type PageRead } from "./page-guard.js";

const guard = (totalCount = 1000) => new PageGuard({ label: "commits", repository: "acme/osv", totalCount });
const page = (chain: object, askedWith: string | null, next: string | null, nodes = 100, hasMore: boolean | undefined = true): PageRead => ({
  chain,
  what: "commit history page 2",
  askedWith,
  next,
  nodes,
  ...(hasMore === undefined ? {} : { hasMore }),
});

describe("PageGuard", () => {
  it("lets a chain of advancing cursors through, and chains apart from each other", () => {
    const g = guard();
    const forward = {};
    const backward = {};
    expect(() => {
      g.check(page(forward, null, "a"));
      g.check(page(forward, "a", "b"));
      g.check(page(backward, null, "b", 1, undefined));
      g.check(page(backward, "b", "a", 100, undefined));
      g.check(page(forward, "b", null, 0, false));
    }).not.toThrow();
  });

  it("refuses a page that comes back with the cursor it was asked with, naming the query", () => {
    const g = guard();
    const chain = {};
    g.check(page(chain, null, "a"));
    expect(() => g.check(page(chain, "a", "a"))).toThrow(
      "the commit history page 2 query for acme/osv came back with the very cursor it was asked with, so the next page would be this one again: stopped rather than loop",
    );
  });

  it("refuses a cursor the chain already gave (pages going round in a circle)", () => {
    const g = guard();
    const chain = {};
    g.check(page(chain, null, "a"));
    g.check(page(chain, "a", "b"));
    expect(() => g.check(page(chain, "b", "a"))).toThrow(/came back with a cursor an earlier page of the same commits already gave/);
  });

  it("refuses an empty page that says more follow, and one that says so without a cursor", () => {
    expect(() => guard().check(page({}, "a", "b", 0, true))).toThrow(/returned no commits yet said more follow/);
    expect(() => guard().check(page({}, "a", null, 5, true))).toThrow(/said more commits follow but gave no cursor to ask for them by/);
  });

  it("refuses reading more than the total GitHub counted, beyond a margin for items added meanwhile", () => {
    expect(readAllowance(0)).toBe(100);
    expect(readAllowance(1000)).toBe(1150);
    const g = guard(150);
    const chain = {};
    g.check(page(chain, null, "c1", 100));
    g.check(page(chain, "c1", "c2", 100));
    expect(() => g.check(page(chain, "c2", "c3", 100))).toThrow(
      "300 commits were read for acme/osv, more than the 150 GitHub counted (and up to 108 more added while reading): the pages do not end; stopped at the commit history page 2 query for acme/osv",
    );
  });
});
