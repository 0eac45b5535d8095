// A git source fetched on the host at its pinned commit (verified against its
// tag), with the submodules it names, or only the paths it names (a sparse
// checkout of a partial fetch), and kept in the download cache as one
// reproducible tar of the checkout, .git included (OSv's build runs git describe).
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { buildOnce, hashInputs } from "../local/build-cache.js";
import { runCommand } from "../local/run-command.js";
import { gitMirrorOptions, mirrorGitRepository, missingFromMirror } from "./mirror.js";
import { SourceError, type GitSource } from "./source-list.js";
import type { FetchContext } from "./fetch-context.js";

/** Changed whenever what goes into a checkout's tar changes, so that older ones in the cache are not reused. */
const CHECKOUT_FORMAT = "2";

/** Same files, same bytes: sorted entries, no timestamps, no owners, so that Docker's layer cache holds. */
const REPRODUCIBLE_TAR = ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "--format=gnu"];

export async function fetchGitSource(source: GitSource, context: FetchContext): Promise<string> {
  const key = hashInputs([CHECKOUT_FORMAT, JSON.stringify(source)]);
  const tarPath = path.join(context.cacheDir, "sources", `${source.name}-${source.commit.slice(0, 12)}-${key}.tar`);
  const { built } = await buildOnce(tarPath, async (temporaryTar) => {
    const started = performance.now();
    const where = context.mirror ? `the mirror ${context.mirror}` : "upstream";
    context.log.info(`${context.recipe}: fetching ${source.git} at ${source.tag ?? source.commit} from ${where}`);
    const workDir = await mkdtemp(path.join(path.dirname(tarPath), `.${source.name}-checkout-`));
    try {
      await checkOut(source, workDir, context);
      await dropVolatileGitState(path.join(workDir, ".git"));
      await runCommand("tar", [...REPRODUCIBLE_TAR, "-C", workDir, "-cf", temporaryTar, "."], options(context));
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    context.log.info(`${context.recipe}: ${source.name} at ${source.commit.slice(0, 12)} fetched in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  if (!built) context.log.debug(`${context.recipe}: ${source.name} at ${source.commit.slice(0, 12)} from the download cache (${tarPath})`);
  return tarPath;
}

async function checkOut(source: GitSource, dir: string, context: FetchContext): Promise<void> {
  if (context.mirror && !mirrorGitRepository(context.mirror, source.git)) {
    throw missingFromMirror(context.recipe, source.git, context.mirror, "a git repository");
  }
  const git = (...args: string[]) =>
    runCommand(
      "git",
      [...(context.mirror ? gitMirrorOptions(context.mirror) : []), "-c", "advice.detachedHead=false", "-c", "init.defaultBranch=main", ...args],
      options(context, dir),
    );
  await git("init", "-q");
  // The origin's upstream URL, so that relative submodule URLs resolve as they do upstream.
  await git("remote", "add", "origin", source.git);
  const fetchFailed = (what: string) => (error: unknown) => {
    // From a mirror: the repository is there (checked above), so it lacks what was pinned.
    const where = context.mirror
      ? ` from the mirror's copy at ${mirrorGitRepository(context.mirror, source.git)}, which should hold it (as a tag or a branch's tip): ` +
        "add it there, or check the pin in the recipe's sources.json"
      : " (check the network, or use a sources mirror: --sources-mirror)";
    throw new SourceError(
      `${context.recipe}: could not fetch ${what} of ${source.git}${source.paths ? ` for the paths ${source.paths.join(", ")}` : ""}${where}. ` +
        `${source.paths ? `${PARTIAL_FETCH_HINT}.\n` : ""}${(error as Error).message}`,
    );
  };
  // With paths: no file contents yet; the sparse checkout fetches those of its paths alone.
  const fetch = (...refspec: string[]) => git("fetch", "-q", "--depth", "1", ...(source.paths ? ["--filter=blob:none"] : []), "--no-tags", "origin", ...refspec);
  if (source.tag) {
    await fetch(`+refs/tags/${source.tag}:refs/tags/${source.tag}`).catch(fetchFailed(`the tag ${source.tag}`));
    const { stdout } = await git("rev-parse", "--verify", `refs/tags/${source.tag}^{commit}`);
    const resolved = stdout.trim();
    if (resolved !== source.commit) {
      throw new SourceError(
        `${context.recipe}: the tag ${source.tag} of ${source.git} points to ${resolved}, not to the pinned commit ${source.commit}: ` +
          "the tag moved upstream. Check what changed, then pin the new commit (or keep the old one without its tag) in the recipe's sources.json",
      );
    }
  } else {
    await fetch(source.commit).catch(fetchFailed(`the commit ${source.commit}`));
  }
  if (source.paths) {
    await checkOutPaths(source, source.paths, context, git);
    return;
  }
  await git("checkout", "-q", "--detach", source.commit);
  if (source.submodules?.length) await checkOutSubmodules(source, context, git);
}

const PARTIAL_FETCH_HINT =
  "A source with paths is fetched without file contents (git fetch --filter=blob:none), then a sparse checkout fetches those of its paths: " +
  "the repository (or the mirror's copy) must allow partial fetches (uploadpack.allowFilter) and hold every file under the paths. " +
  "Check the paths in the recipe's sources.json, or try the same git commands by hand to see which object is missing";

/** A sparse checkout of `paths` alone, whose file contents git fetches as it checks them out. */
async function checkOutPaths(
  source: GitSource,
  paths: readonly string[],
  context: FetchContext,
  git: (...args: string[]) => Promise<{ stdout: string }>,
): Promise<void> {
  // The trees came with the fetch: a path missing at the commit is told here, not by an empty checkout.
  for (const wanted of paths) {
    const { stdout } = await git("ls-tree", "--name-only", source.commit, "--", wanted.replace(/\/$/, ""));
    if (!stdout.trim()) {
      throw new SourceError(`${context.recipe}: ${source.git} at ${source.commit.slice(0, 12)} has no path '${wanted}': check the paths of '${source.name}' in the recipe's sources.json`);
    }
  }
  // Non-cone patterns anchored at the top ("/source/"): exactly these paths, not the files beside them.
  await git("sparse-checkout", "set", "--no-cone", ...paths.map((p) => `/${p}`));
  await git("checkout", "-q", "--detach", source.commit).catch((error: unknown) => {
    throw new SourceError(
      `${context.recipe}: could not check out the paths ${paths.join(", ")} of ${source.git} at ${source.commit.slice(0, 12)}` +
        `${context.mirror ? ` from the mirror ${context.mirror}` : ""}: ${PARTIAL_FETCH_HINT}.\n${(error as Error).message}`,
    );
  });
}

async function checkOutSubmodules(
  source: GitSource,
  context: FetchContext,
  git: (...args: string[]) => Promise<{ stdout: string }>,
): Promise<void> {
  const urlsByPath = await submoduleUrls(git);
  for (const submodule of source.submodules ?? []) {
    const url = urlsByPath.get(submodule);
    if (!url) {
      const known = [...urlsByPath.keys()].join(", ") || "none";
      throw new SourceError(`${context.recipe}: ${source.git} at ${source.commit.slice(0, 12)} has no submodule '${submodule}' (its submodules: ${known})`);
    }
    const absolute = new URL(url, source.git.endsWith("/") ? source.git : `${source.git}/`).href;
    if (context.mirror && !mirrorGitRepository(context.mirror, absolute)) {
      throw missingFromMirror(context.recipe, absolute, context.mirror, `the git repository of ${source.name}'s submodule ${submodule}`);
    }
  }
  await git("submodule", "update", "-q", "--init", "--depth", "1", "--", ...(source.submodules ?? [])).catch((error: unknown) => {
    throw new SourceError(`${context.recipe}: could not check out the submodules ${source.submodules!.join(", ")} of ${source.git}: ${(error as Error).message}`);
  });
}

/** path -> URL, from the checkout's .gitmodules. */
async function submoduleUrls(git: (...args: string[]) => Promise<{ stdout: string }>): Promise<Map<string, string>> {
  const entries = new Map<string, { path?: string; url?: string }>();
  let text = "";
  try {
    text = (await git("config", "-f", ".gitmodules", "--get-regexp", "^submodule\\..*\\.(path|url)$")).stdout;
  } catch {
    return new Map(); // No .gitmodules.
  }
  for (const line of text.split("\n").filter(Boolean)) {
    const match = /^submodule\.(.+)\.(path|url) (.*)$/.exec(line);
    if (!match) continue;
    const entry = entries.get(match[1]!) ?? {};
    entry[match[2] as "path" | "url"] = match[3]!;
    entries.set(match[1]!, entry);
  }
  return new Map([...entries.values()].flatMap((e) => (e.path && e.url ? [[e.path, e.url] as const] : [])));
}

/**
 * Removes what differs between two checkouts of the same commits (the index's
 * file timestamps, the reflogs' times), in .git and in every submodule's git
 * directory, so that the tar has the same bytes on every machine and Docker's
 * layer cache holds. What builds read (objects, refs, HEAD) stays.
 */
async function dropVolatileGitState(gitDir: string): Promise<void> {
  await rm(path.join(gitDir, "index"), { force: true });
  await rm(path.join(gitDir, "logs"), { recursive: true, force: true });
  for (const submoduleGitDir of await gitDirsUnder(path.join(gitDir, "modules"))) await dropVolatileGitState(submoduleGitDir);
}

/** The submodules' git directories under .git/modules (external/x64/acpica is three folders deep). */
async function gitDirsUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory()) continue;
    const child = path.join(dir, entry.name);
    if (existsSync(path.join(child, "HEAD"))) found.push(child);
    else found.push(...(await gitDirsUnder(child)));
  }
  return found;
}

function options(context: FetchContext, cwd?: string): { cwd?: string; signal?: AbortSignal } {
  return { ...(cwd ? { cwd } : {}), ...(context.signal ? { signal: context.signal } : {}) };
}
