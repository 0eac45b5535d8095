import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../log/logger.js";
import { fetchSources } from "./fetch-sources.js";
import type { Source } from "./source-list.js";

const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", ...args], {
    cwd,
    encoding: "utf8",
  }).trim();

/** An upstream project with a submodule, published into a mirror laid out as <host>/<path>. */
function makeMirror(root: string): { mirror: string; commit: string; libCommit: string } {
  const mirror = path.join(root, "mirror");
  const work = path.join(root, "work");
  for (const name of ["lib", "project"]) mkdirSync(path.join(work, name), { recursive: true });
  writeFileSync(path.join(work, "lib/lib.c"), "int lib;\n");
  git(path.join(work, "lib"), "init", "-q");
  git(path.join(work, "lib"), "add", ".");
  git(path.join(work, "lib"), "commit", "-q", "-m", "lib");
  const libBare = path.join(mirror, "example.org/team/lib.git");
  git(root, "clone", "-q", "--bare", path.join(work, "lib"), libBare);

  const project = path.join(work, "project");
  git(project, "init", "-q");
  writeFileSync(path.join(project, "README"), "project 1.0\n");
  writeFileSync(path.join(project, "build.sh"), "#!/bin/sh\necho build\n", { mode: 0o755 });
  // Two folders deep, as OSv's external/x64/acpica is.
  git(project, "submodule", "add", "-q", `file://${libBare}`, "deps/lib");
  // Upstream records the submodule relative to itself, as OSv does.
  git(project, "config", "-f", ".gitmodules", "submodule.deps/lib.url", "../lib");
  git(project, "add", ".");
  git(project, "commit", "-q", "-m", "1.0");
  git(project, "tag", "v1.0");
  git(root, "clone", "-q", "--bare", project, path.join(mirror, "example.org/team/project.git"));

  mkdirSync(path.join(mirror, "downloads.example.org/releases"), { recursive: true });
  writeFileSync(path.join(mirror, "downloads.example.org/releases/thing-1.0.tar.gz"), "archive bytes");
  return { mirror, commit: git(project, "rev-parse", "HEAD"), libCommit: git(path.join(work, "lib"), "rev-parse", "HEAD") };
}

describe("fetchSources", () => {
  let root: string;
  let mirror: string;
  let commit: string;
  let libCommit: string;
  const archiveSha = createHash("sha256").update("archive bytes").digest("hex");

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "bt-sources-"));
    ({ mirror, commit, libCommit } = makeMirror(root));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function sourcesFile(sources: Source[]): string {
    const file = path.join(mkdtempSync(path.join(root, "recipe-")), "sources.json");
    writeFileSync(file, JSON.stringify({ sources }));
    return file;
  }
  const project = (overrides: Partial<Source> = {}): Source =>
    ({ name: "project", git: "https://example.org/team/project.git", tag: "v1.0", commit, submodules: ["deps/lib"], ...overrides }) as Source;
  const archive: Source = { name: "thing-1.0.tar.gz", url: "https://downloads.example.org/releases/thing-1.0.tar.gz", sha256: archiveSha };

  function fetchWith(file: string, cacheDir: string, lines: string[] = []) {
    const log = createLogger({ debug: true, write: (line) => lines.push(line) });
    return fetchSources(file, { recipe: "unikernels/x/sources.json", cacheDir, mirror, log });
  }

  it("checks out the pinned tag with its submodule from the mirror, .git included, and verifies the archive", async () => {
    const cacheDir = mkdtempSync(path.join(root, "cache-"));
    const fetched = await fetchWith(sourcesFile([project(), archive]), cacheDir);
    expect(fetched.map((f) => f.contextPath)).toEqual(["sources/project.tar", "sources/thing-1.0.tar.gz"]);
    const unpacked = mkdtempSync(path.join(root, "unpacked-"));
    execFileSync("tar", ["-xf", fetched[0]!.hostPath, "-C", unpacked]);
    expect(readFileSync(path.join(unpacked, "README"), "utf8")).toBe("project 1.0\n");
    expect(readFileSync(path.join(unpacked, "deps/lib/lib.c"), "utf8")).toBe("int lib;\n");
    // A git checkout that knows its tag (OSv's build runs git describe) and its submodule's commit.
    expect(git(unpacked, "describe", "--tags")).toBe("v1.0");
    expect(git(path.join(unpacked, "deps/lib"), "rev-parse", "HEAD")).toBe(libCommit);
    expect(readFileSync(fetched[1]!.hostPath, "utf8")).toBe("archive bytes");
    // No checkout left beside the download cache.
    expect(readdirSync(path.join(cacheDir, "sources")).sort()).toEqual([path.basename(fetched[1]!.hostPath), path.basename(fetched[0]!.hostPath)].sort());
  });

  it("reuses the download cache for an unchanged pin, and gives the same bytes anywhere", async () => {
    const cacheDir = mkdtempSync(path.join(root, "cache-"));
    const file = sourcesFile([project()]);
    const first = await fetchWith(file, cacheDir);
    const lines: string[] = [];
    const second = await fetchWith(file, cacheDir, lines);
    expect(second).toEqual(first);
    expect(lines.join("\n")).toMatch(/project at [0-9a-f]{12} from the download cache/);
    expect(lines.join("\n")).not.toMatch(/fetching/);
    const elsewhere = await fetchWith(file, mkdtempSync(path.join(root, "cache-")));
    // Reproducible: Docker's layer cache sees the same context on every machine.
    expect(readFileSync(elsewhere[0]!.hostPath).equals(readFileSync(first[0]!.hostPath))).toBe(true);
  });

  it("gives the same bytes from a mirror at another path, and from one that, as upstream does, has moved on", async () => {
    const file = sourcesFile([project()]);
    const fetchFrom = async (from: string) => {
      const log = createLogger({ write: () => {} });
      const [fetched] = await fetchSources(file, { recipe: "r", cacheDir: mkdtempSync(path.join(root, "cache-")), mirror: from, log });
      return readFileSync(fetched!.hostPath);
    };
    const here = await fetchFrom(mirror);
    const copy = path.join(mkdtempSync(path.join(root, "elsewhere-")), "another", "mirror");
    cpSync(mirror, copy, { recursive: true });
    // Upstream's lib went on after the pinned commit, on a default branch of another name:
    // a submodule clone fetches that branch's head too, and records it.
    const upstream = path.join(mkdtempSync(path.join(root, "upstream-")), "mirror");
    cpSync(mirror, upstream, { recursive: true });
    const lib = path.join(root, "work/lib");
    const later = mkdtempSync(path.join(root, "lib-later-"));
    git(root, "clone", "-q", lib, later);
    writeFileSync(path.join(later, "lib.c"), "int lib = 2;\n");
    git(later, "commit", "-q", "-am", "later");
    git(later, "push", "-q", path.join(upstream, "example.org/team/lib.git"), "HEAD:refs/heads/trunk");
    git(path.join(upstream, "example.org/team/lib.git"), "symbolic-ref", "HEAD", "refs/heads/trunk");

    const fromCopy = await fetchFrom(copy);
    const fromUpstream = await fetchFrom(upstream);
    expect(fromCopy.equals(here)).toBe(true);
    expect(fromUpstream.equals(here)).toBe(true);
    // Nothing in it names where it was fetched from.
    for (const where of [mirror, copy, upstream, root]) expect(here.includes(Buffer.from(where))).toBe(false);

    // And it is still a working checkout: the tag, the submodule at its commit, the upstream URLs.
    const unpacked = mkdtempSync(path.join(root, "unpacked-"));
    execFileSync("tar", ["-xf", "-", "-C", unpacked], { input: fromUpstream });
    expect(git(unpacked, "describe", "--tags")).toBe("v1.0");
    expect(git(path.join(unpacked, "deps/lib"), "rev-parse", "HEAD")).toBe(libCommit);
    expect(git(path.join(unpacked, "deps/lib"), "config", "remote.origin.url")).toBe("https://example.org/team/lib");
    // What git needs, and no more: no FETCH_HEAD, index, reflogs, hooks or packed remote branches.
    expect(readdirSync(path.join(unpacked, ".git")).sort()).toEqual(["HEAD", "config", "modules", "objects", "refs", "shallow"]);
  });

  it("refuses a tag that moved: it names the tag, both commits and what to do", async () => {
    const pinned = "0".repeat(40);
    await expect(fetchWith(sourcesFile([project({ commit: pinned })]), mkdtempSync(path.join(root, "cache-")))).rejects.toThrow(
      new RegExp(`unikernels/x/sources\\.json: the tag v1\\.0 of https://example\\.org/team/project\\.git points to ${commit}, not to the pinned commit ${pinned}: the tag moved upstream`),
    );
  });

  it("names the URL and the path expected in the mirror for a source it lacks", async () => {
    const missing = project({ name: "other", git: "https://example.org/team/other.git", tag: undefined, submodules: undefined });
    await expect(fetchWith(sourcesFile([missing]), mkdtempSync(path.join(root, "cache-")))).rejects.toThrow(
      `unikernels/x/sources.json: https://example.org/team/other.git is not in the sources mirror ${mirror}: expected a git repository at ${path.join(mirror, "example.org/team/other.git")}`,
    );
    const missingArchive = { ...archive, url: "https://downloads.example.org/releases/thing-2.0.tar.gz" };
    await expect(fetchWith(sourcesFile([missingArchive]), mkdtempSync(path.join(root, "cache-")))).rejects.toThrow(
      `expected the file at ${path.join(mirror, "downloads.example.org/releases/thing-2.0.tar.gz")}`,
    );
  });

  it("names a submodule the mirror lacks, with its resolved upstream URL", async () => {
    const bare = mkdtempSync(path.join(root, "mirror-no-lib-"));
    git(root, "clone", "-q", "--bare", path.join(mirror, "example.org/team/project.git"), path.join(bare, "example.org/team/project.git"));
    const lines: string[] = [];
    const log = createLogger({ write: (line) => lines.push(line) });
    await expect(
      fetchSources(sourcesFile([project()]), { recipe: "r", cacheDir: mkdtempSync(path.join(root, "cache-")), mirror: bare, log }),
    ).rejects.toThrow(`r: https://example.org/team/lib is not in the sources mirror ${bare}: expected the git repository of project's submodule deps/lib at ${path.join(bare, "example.org/team/lib")}`);
  });

  it("refuses an archive whose hash differs, and a submodule the project does not have", async () => {
    await expect(fetchWith(sourcesFile([{ ...archive, sha256: "f".repeat(64) }]), mkdtempSync(path.join(root, "cache-")))).rejects.toThrow(
      new RegExp(`thing-1\\.0\\.tar\\.gz has the SHA-256 ${archiveSha}, not the pinned f{64}: the archive changed upstream or the mirror's copy differs`),
    );
    await expect(fetchWith(sourcesFile([project({ submodules: ["nope"] })]), mkdtempSync(path.join(root, "cache-")))).rejects.toThrow(
      /has no submodule 'nope' \(its submodules: deps\/lib\)/,
    );
  });

  it("names the file and the field of an invalid source list", async () => {
    const file = sourcesFile([{ name: "x", git: "https://example.org/x.git", commit: "main" } as Source]);
    await expect(fetchWith(file, root)).rejects.toThrow(/unikernels\/x\/sources\.json is not a valid source list: sources\.0\.commit: must be a full 40-digit commit hash/);
  });
});
