import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSourceList } from "./source-list.js";

describe("readSourceList", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bt-source-list-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let files = 0;
  function listOf(...sources: object[]): string {
    const file = path.join(dir, `sources-${files++}.json`);
    writeFileSync(file, JSON.stringify({ sources }));
    return file;
  }
  const commit = "7a43f6fea9081bdd53d8a11cef9e9fab0348c53d";
  const sha256 = "7d5b0b6062521e4627e099e4c9dc8248d32a30285e959b7eecaa780cf8cfd4a4";

  it("accepts a git source pinned to its commit and an archive pinned to its SHA-256", async () => {
    const sources = await readSourceList(
      listOf(
        { name: "musl", git: "https://github.com/bminor/musl.git", tag: "v1.2.3", commit },
        { name: "musl-1.2.3.tar.gz", url: "https://musl.libc.org/releases/musl-1.2.3.tar.gz", sha256 },
      ),
    );
    expect(sources.map((s) => s.name)).toEqual(["musl", "musl-1.2.3.tar.gz"]);
  });

  it("rejects an archive without its SHA-256: a download that is not checked is no pin", async () => {
    await expect(readSourceList(listOf({ name: "musl-1.2.3.tar.gz", url: "https://musl.libc.org/releases/musl-1.2.3.tar.gz" }), "r/sources.json")).rejects.toThrow(
      "r/sources.json is not a valid source list: sources.0.sha256: required, but missing",
    );
  });

  it("rejects a git source without its commit, even with a tag: a tag can move", async () => {
    await expect(readSourceList(listOf({ name: "musl", git: "https://github.com/bminor/musl.git", tag: "v1.2.3" }), "r/sources.json")).rejects.toThrow(
      "r/sources.json is not a valid source list: sources.0.commit: required, but missing",
    );
  });

  it("rejects a short commit and a hash that is not SHA-256, naming the field; and a source of neither kind", async () => {
    await expect(readSourceList(listOf({ name: "musl", git: "https://github.com/bminor/musl.git", commit: commit.slice(0, 12) }))).rejects.toThrow(
      /sources\.0\.commit: must be a full 40-digit commit hash/,
    );
    await expect(readSourceList(listOf({ name: "m.tar.gz", url: "https://example.org/m.tar.gz", sha256: sha256.slice(0, 40) }))).rejects.toThrow(
      /sources\.0\.sha256: must be 64 lower-case hex digits/,
    );
    await expect(readSourceList(listOf({ name: "m" }))).rejects.toThrow(/sources\.0: must be a git source \(name, git, commit\) or an archive \(name, url, sha256\)/);
  });
});
