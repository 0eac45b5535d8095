// The stand-in's own contract, where the community tests rely on it matching
// GitHub: connection paging by the cursor specification, and the documented
// rate-limit cost formula.
import { buildClientSchema, parse } from "graphql";
import { schema as publishedSchema } from "@octokit/graphql-schema";
import { describe, expect, it } from "vitest";
import { connection, fromKey, orderedView } from "./connection.js";
import { connectionRequests, queryCost } from "./query-cost.js";

const githubSchema = buildClientSchema(publishedSchema.json as Parameters<typeof buildClientSchema>[0]);

describe("connection paging", () => {
  const items = Array.from({ length: 250 }, (_, i) => ({ n: i, key: Math.floor(i / 2) }));
  const view = orderedView(items, (i) => i.key, (i) => String(i.n).padStart(4, "0"), false);
  const page = (args: Parameters<typeof connection>[1]) => {
    const c = connection(view, args, (i) => i.n, "issues");
    return { nodes: c.nodes as number[], pageInfo: c.pageInfo };
  };

  it("walks forward with first/after and backward with last/before, meeting without gap or overlap", () => {
    const forward = page({ first: 100 });
    expect(forward.nodes).toEqual(items.slice(0, 100).map((i) => i.n));
    expect(forward.pageInfo.hasNextPage).toBe(true);
    const backward = page({ last: 100 });
    expect(backward.nodes).toEqual(items.slice(150).map((i) => i.n));
    const middle = page({ first: 100, after: forward.pageInfo.endCursor, before: backward.pageInfo.startCursor });
    expect(middle.nodes).toEqual(items.slice(100, 150).map((i) => i.n));
    expect(middle.pageInfo.hasNextPage).toBe(false);
    const fromEnd = page({ last: 30, before: backward.pageInfo.startCursor });
    expect(fromEnd.nodes).toEqual(items.slice(120, 150).map((i) => i.n));
  });

  it("keeps a cursor's position when other items come and go", () => {
    const first = page({ first: 10 });
    const changed = orderedView([...items.slice(3), { n: 999, key: -1 }], (i) => i.key, (i) => String(i.n).padStart(4, "0"), false);
    const next = connection(changed, { first: 5, after: first.pageInfo.endCursor }, (i) => i.n, "issues");
    expect(next.nodes).toEqual([10, 11, 12, 13, 14]);
  });

  it("refuses what GitHub refuses", () => {
    expect(() => page({ first: 101 }).nodes).toThrow("Requesting 101 records on the `issues` connection exceeds the `first` limit of 100 records.");
    expect(() => page({ first: 1, last: 1 }).nodes).toThrow("Passing both `first` and `last`");
    expect(() => page({}).nodes).toThrow("You must provide a `first` or `last` value");
    expect(() => page({ first: 1, after: "bm90IGEgY3Vyc29y" }).nodes).toThrow("does not appear to be a valid cursor");
  });

  it("starts a suffix at a key by bisection", () => {
    const suffix = fromKey(view, 60);
    expect(suffix.items.slice(suffix.start).map((o) => o.item.n)).toEqual(items.slice(120).map((i) => i.n));
    expect(connection(suffix, { first: 2 }, (i) => i.n, "issues").nodes).toEqual([120, 121]);
    expect(connection(suffix, { first: 2 }, (i) => i.n, "issues").totalCount).toBe(130);
  });
});

describe("rate-limit cost", () => {
  it("follows GitHub's documented example: 5,101 requests cost 51 points", () => {
    const document = parse(`query {
      viewer {
        login
        repositories(first: 100) {
          edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } }
        }
      }
    }`);
    expect(connectionRequests(githubSchema, document, {})).toBe(5101);
    expect(queryCost(githubSchema, document, {})).toBe(51);
  });

  it("counts connections through variables, aliases and fragments, and charges at least one point", () => {
    const document = parse(`query Q($n: Int!) {
      repository(owner: "o", name: "r") {
        a: issues(first: $n) { nodes { ...F } }
        b: issues(last: 20) { totalCount }
        defaultBranchRef { target { ... on Commit { history(first: 5) { totalCount } } } }
      }
    }
    fragment F on Issue { comments(first: 10) { totalCount } }`);
    // a: 1 + 40 comment connections; b: 1; history: 1.
    expect(connectionRequests(githubSchema, document, { n: 40 })).toBe(43);
    expect(queryCost(githubSchema, document, { n: 40 })).toBe(1);
    expect(queryCost(githubSchema, parse(`query { viewer { login } }`), {})).toBe(1);
  });
});
