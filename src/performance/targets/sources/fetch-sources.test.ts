import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../log/logger.js";
import { fetchSources } from "./fetch-sources.js";
import type { GitSource, Source } from "./source-list.js";

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

/**
 * A large upstream repository that the mirror holds partially, as it holds
 * acpica: the commit and its trees are there, one big document's blob is not.
 */
function makePartialMirror(root: string): { mirror: string; commit: string } {
  const mirror = path.join(root, "partial-mirror");
  const work = path.join(root, "work/big");
  mkdirSync(path.join(work, "source/include"), { recursive: true });
  mkdirSync(path.join(work, "documents"), { recursive: true });
  writeFileSync(path.join(work, "source/include/big.h"), "#define BIG 1\n");
  writeFileSync(path.join(work, "source/big.c"), "#include \"include/big.h\"\n");
  writeFileSync(path.join(work, "documents/reference.pdf"), "%PDF a large document\n");
  writeFileSync(path.join(work, "README"), "big\n");
  git(work, "init", "-q");
  git(work, "add", ".");
  git(work, "commit", "-q", "-m", "big");
  const bare = path.join(mirror, "example.org/team/big.git");
  git(root, "clone", "-q", "--bare", "--no-local", work, bare);
  // Unpacked, so that one object can be taken out; partial fetches and fetches by commit allowed, as GitHub does.
  const packs = path.join(bare, "objects/pack");
  for (const pack of readdirSync(packs).filter((f) => f.endsWith(".pack"))) {
    const packFile = path.join(packs, pack);
    const moved = path.join(root, `unpack-${pack}`);
    renameSync(packFile, moved);
    rmSync(packFile.replace(/\.pack$/, ".idx"), { force: true });
    execFileSync("git", ["unpack-objects", "-q"], { cwd: bare, input: readFileSync(moved) });
  }
  const blob = git(work, "rev-parse", "HEAD:documents/reference.pdf");
  rmSync(path.join(bare, "objects", blob.slice(0, 2), blob.slice(2)));
  git(bare, "config", "uploadpack.allowFilter", "true");
  git(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
  return { mirror, commit: git(work, "rev-parse", "HEAD") };
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

  it("names the URL and the mirror's copy when that copy lacks the pinned commit", async () => {
    const absent = "1".repeat(40);
    await expect(fetchWith(sourcesFile([project({ tag: undefined, submodules: undefined, commit: absent })]), mkdtempSync(path.join(root, "cache-")))).rejects.toThrow(
      `unikernels/x/sources.json: could not fetch the commit ${absent} of https://example.org/team/project.git from the mirror's copy at ${path.join(mirror, "example.org/team/project.git")}, ` +
        "which should hold it (as a tag or a branch's tip): add it there, or check the pin in the recipe's sources.json",
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

describe("fetchSources: a source with paths (a partial fetch and a sparse checkout)", () => {
  let root: string;
  let mirror: string;
  let commit: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "bt-sources-partial-"));
    ({ mirror, commit } = makePartialMirror(root));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const big = (overrides: Partial<GitSource> = {}): GitSource => ({ name: "big", git: "https://example.org/team/big.git", commit, paths: ["source/"], ...overrides });

  function fetchBig(source: GitSource, cacheDir = mkdtempSync(path.join(root, "cache-"))) {
    const file = path.join(mkdtempSync(path.join(root, "recipe-")), "sources.json");
    writeFileSync(file, JSON.stringify({ sources: [source] }));
    const log = createLogger({ write: () => undefined });
    return fetchSources(file, { recipe: "unikernels/x/sources.json", cacheDir, mirror, log });
  }

  it("cannot be fetched whole: the mirror lacks one blob", async () => {
    const { paths: _paths, ...whole } = big();
    await expect(fetchBig(whole)).rejects.toThrow(/could not fetch the commit [0-9a-f]{40} of https:\/\/example\.org\/team\/big\.git from the mirror's copy at /);
  });

  it("checks out only the paths, .git included, as the same bytes in every cache", async () => {
    const [fetched] = await fetchBig(big());
    const unpacked = mkdtempSync(path.join(root, "unpacked-"));
    execFileSync("tar", ["-xf", fetched!.hostPath, "-C", unpacked]);
    expect(readdirSync(unpacked).sort()).toEqual([".git", "source"]);
    expect(readFileSync(path.join(unpacked, "source/include/big.h"), "utf8")).toBe("#define BIG 1\n");
    expect(git(unpacked, "rev-parse", "HEAD")).toBe(commit);
    const [again] = await fetchBig(big());
    expect(readFileSync(again!.hostPath).equals(readFileSync(fetched!.hostPath))).toBe(true);
  });

  it("gives the same bytes from the mirror at another path, still a partial clone that fetches nothing it lacks", async () => {
    const [here] = await fetchBig(big());
    const copy = path.join(mkdtempSync(path.join(root, "elsewhere-")), "mirror");
    cpSync(mirror, copy, { recursive: true });
    const file = path.join(mkdtempSync(path.join(root, "recipe-")), "sources.json");
    writeFileSync(file, JSON.stringify({ sources: [big()] }));
    const [there] = await fetchSources(file, { recipe: "r", cacheDir: mkdtempSync(path.join(root, "cache-")), mirror: copy, log: createLogger({ write: () => undefined }) });
    const bytes = readFileSync(there!.hostPath);
    expect(bytes.equals(readFileSync(here!.hostPath))).toBe(true);
    expect(bytes.includes(Buffer.from(copy))).toBe(false);
    const unpacked = mkdtempSync(path.join(root, "unpacked-"));
    execFileSync("tar", ["-xf", there!.hostPath, "-C", unpacked]);
    expect(git(unpacked, "config", "remote.origin.promisor")).toBe("true");
    expect(git(unpacked, "cat-file", "-p", "HEAD:source/include/big.h")).toBe("#define BIG 1");
  });

  it("keys the download cache by the paths: other paths are another checkout", async () => {
    const cacheDir = mkdtempSync(path.join(root, "cache-"));
    const [source] = await fetchBig(big(), cacheDir);
    const [withReadme] = await fetchBig(big({ paths: ["source/", "README"] }), cacheDir);
    expect(withReadme!.hostPath).not.toBe(source!.hostPath);
    const listing = execFileSync("tar", ["-tf", withReadme!.hostPath], { encoding: "utf8" }).split("\n");
    expect(listing).toContain("./README");
    expect(listing).not.toContain("./documents/");
  });

  it("names the source, the paths and what to try when a path's files are not to be had", async () => {
    const failure = fetchBig(big({ paths: ["source/", "documents/"] }));
    await expect(failure).rejects.toThrow(
      new RegExp(
        `unikernels/x/sources\\.json: could not check out the paths source/, documents/ of https://example\\.org/team/big\\.git at ${commit.slice(0, 12)} from the mirror ${mirror}: ` +
          "A source with paths is fetched without file contents .*must allow partial fetches \\(uploadpack\\.allowFilter\\) and hold every file under the paths",
      ),
    );
  });

  it("names a path the commit does not have", async () => {
    await expect(fetchBig(big({ paths: ["sources/"] }))).rejects.toThrow(
      `unikernels/x/sources.json: https://example.org/team/big.git at ${commit.slice(0, 12)} has no path 'sources/': check the paths of 'big' in the recipe's sources.json`,
    );
  });

  it("refuses paths that are not plain paths in the repository, and paths with submodules", async () => {
    await expect(fetchBig(big({ paths: ["/source"] }))).rejects.toThrow(/sources\.0\.paths\.0: must be a relative path in the repository/);
    await expect(fetchBig(big({ paths: ["../etc"] }))).rejects.toThrow(/sources\.0\.paths\.0: must be a normalised path/);
    await expect(fetchBig(big({ paths: ["source/*.c"] }))).rejects.toThrow(/no wildcards/);
    await expect(fetchBig(big({ paths: ["source/../documents"] }))).rejects.toThrow(/sources\.0\.paths\.0: must be a normalised path/);
    await expect(fetchBig(big({ submodules: ["deps/lib"] }))).rejects.toThrow(/sources\.0\.paths: cannot be given with submodules/);
  });
});
