import { describe, expect, it } from "vitest";
import { parseRepositoryLink, RepositoryLinkError } from "./repository-link.js";

describe("parseRepositoryLink", () => {
  it.each([
    "https://github.com/cloudius-systems/osv",
    "https://github.com/cloudius-systems/osv/",
    "https://github.com/cloudius-systems/osv.git",
    "github.com/cloudius-systems/osv",
    "github.com/cloudius-systems/osv.git/",
    "cloudius-systems/osv",
    "cloudius-systems/osv/",
    "http://www.github.com/cloudius-systems/osv",
  ])("accepts %s", (argument) => {
    expect(parseRepositoryLink(argument)).toEqual({ owner: "cloudius-systems", name: "osv" });
  });

  it("keeps dots inside names", () => {
    expect(parseRepositoryLink("github.com/owner/my.repo.js.git")).toEqual({ owner: "owner", name: "my.repo.js" });
  });

  it.each(["osv", "https://gitlab.com/a/b", "a/b/c", "https://github.com/a", "", "-a/b", "a/..", "a/b c"])(
    "rejects %j with a message that shows the accepted forms",
    (argument) => {
      expect(() => parseRepositoryLink(argument)).toThrow(RepositoryLinkError);
      expect(() => parseRepositoryLink(argument)).toThrow(/OWNER\/REPO/);
    },
  );
});
