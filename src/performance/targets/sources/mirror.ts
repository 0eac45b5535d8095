// A sources mirror for machines without the internet: a directory laid out as
// <host>/<path> of each upstream URL, as Buildroot's and Yocto's download
// mirrors are (github.com/unikraft/unikraft.git, example.org/releases/thing-1.2.tar.gz).
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { SourceError } from "./source-list.js";

export const SOURCES_MIRROR_ENV = "BENCHMARK_TOOL_SOURCES_MIRROR";

/** --sources-mirror, else $BENCHMARK_TOOL_SOURCES_MIRROR; undefined: fetch from upstream. */
export function sourcesMirrorFrom(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = option ?? (env[SOURCES_MIRROR_ENV] || undefined);
  return dir === undefined ? undefined : path.resolve(dir);
}

/** Why `dir` cannot be a mirror, or undefined when it can. */
export function mirrorProblem(dir: string): string | undefined {
  if (!existsSync(dir)) return `the sources mirror ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `the sources mirror ${dir} is not a directory`;
  return undefined;
}

/** Where `url` sits in the mirror: <mirror>/<host>/<path>. */
export function mirrorPath(mirrorDir: string, url: string): string {
  const { host, pathname } = new URL(url);
  return path.join(mirrorDir, host, ...decodeURIComponent(pathname).split("/").filter(Boolean));
}

/**
 * The git repository for `url` in the mirror: git itself finds a local
 * repository with or without ".git", and so does this.
 */
export function mirrorGitRepository(mirrorDir: string, url: string): string | undefined {
  const exact = mirrorPath(mirrorDir, url);
  const candidates = exact.endsWith(".git") ? [exact, exact.slice(0, -4)] : [exact, `${exact}.git`];
  return candidates.find((candidate) => existsSync(candidate));
}

/** The error for a source the mirror lacks: the URL, and the path it is expected at. */
export function missingFromMirror(recipe: string, url: string, mirrorDir: string, what: string): SourceError {
  return new SourceError(
    `${recipe}: ${url} is not in the sources mirror ${mirrorDir}: expected ${what} at ${mirrorPath(mirrorDir, url)}. ` +
      `Add it there (laid out as <host>/<path> of the URL), or run without --sources-mirror (and ${SOURCES_MIRROR_ENV}) to fetch from upstream`,
  );
}

/**
 * git options that send every http(s) URL, submodules' included, into the
 * mirror: git's own url.<base>.insteadOf, so that no URL is rewritten by hand.
 */
export function gitMirrorOptions(mirrorDir: string): string[] {
  const base = `file://${mirrorDir}/`;
  return ["-c", `url.${base}.insteadOf=https://`, "-c", `url.${base}.insteadOf=http://`, "-c", "protocol.file.allow=always"];
}
