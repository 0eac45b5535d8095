// A git source fetched on the host at its pinned commit (verified against its
// tag), with the submodules it names, or only the paths it names (a sparse
// checkout of a partial fetch), and kept in the download cache as one
// reproducible tar of the checkout, .git included (OSv's build runs git describe).
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildOnce, hashInputs } from "../local/build-cache.js";
import { runCommand } from "../local/run-command.js";
import { gitMirrorOptions, mirrorGitRepository, missingFromMirror } from "./mirror.js";
import { SourceError, type GitSource } from "./source-list.js";
import type { FetchContext } from "./fetch-context.js";

/** Changed whenever what goes into a checkout's tar changes, so that older ones in the cache are not reused. */
const CHECKOUT_FORMAT = "4";

/** The same files whatever the user's git configuration says about line ends. */
const CHECKOUT_OPTIONS = ["-c", "advice.detachedHead=false", "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false"];

/**
 * Same files, same bytes: sorted entries, no timestamps, no owners, and the
 * permissions git means (0644, 0755) whatever the umask, so that Docker's layer cache holds.
 */
const REPRODUCIBLE_TAR = ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "--mode=u+rw,go=rX", "--format=gnu"];

/** git, run in the checkout with the fetch's options. */
type Git = (...args: string[]) => Promise<{ stdout: string }>;

export async function fetchGitSource(source: GitSource, context: FetchContext): Promise<string> {
  const key = hashInputs([CHECKOUT_FORMAT, JSON.stringify(source)]);
  const tarPath = path.join(context.cacheDir, "sources", `${source.name}-${source.commit.slice(0, 12)}-${key}.tar`);
  const { built } = await buildOnce(tarPath, async (temporaryTar) => {
    const started = performance.now();
    const where = context.mirror ? `the mirror ${context.mirror}` : "upstream";
    context.log.info(`${context.recipe}: fetching ${source.git} at ${source.tag ?? source.commit} from ${where}`);
    const workDir = await mkdtemp(path.join(path.dirname(tarPath), `.${source.name}-checkout-`));
    try {
      const git = await checkOut(source, workDir, context);
      await canonicalizeGitDirs(path.join(workDir, ".git"), source, git);
      await runCommand("tar", [...REPRODUCIBLE_TAR, "-C", workDir, "-cf", temporaryTar, "."], options(context));
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    context.log.info(`${context.recipe}: ${source.name} at ${source.commit.slice(0, 12)} fetched in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  if (!built) context.log.debug(`${context.recipe}: ${source.name} at ${source.commit.slice(0, 12)} from the download cache (${tarPath})`);
  return tarPath;
}

/** Checks the pin out into `dir`; returns the git it ran there, for what follows. */
async function checkOut(source: GitSource, dir: string, context: FetchContext): Promise<Git> {
  if (context.mirror && !mirrorGitRepository(context.mirror, source.git)) {
    throw missingFromMirror(context.recipe, source.git, context.mirror, "a git repository");
  }
  const git: Git = (...args) =>
    runCommand(
      "git",
      [...(context.mirror ? gitMirrorOptions(context.mirror) : []), ...CHECKOUT_OPTIONS, ...args],
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
    return git;
  }
  await git("checkout", "-q", "--detach", source.commit);
  if (source.submodules?.length) await checkOutSubmodules(source, context, git);
  return git;
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
  git: Git,
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
  git: Git,
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
async function submoduleUrls(git: Git): Promise<Map<string, string>> {
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
 * Rewrites a checkout's git directory, and every submodule's, to what the pin
 * alone determines, so that the tar has the same bytes from upstream, from a
 * mirror at any path, into any download cache, and Docker's layer cache holds.
 * A fetch leaves behind what depends on where and when it ran: FETCH_HEAD
 * (which names the mirror's path), the index's file times, reflogs, the
 * remote's branches (a mirror's pinned-<commit> branch, upstream's default
 * one, with its objects and a shallow entry), the server's packing of the
 * objects, and the templates of the host's git (hooks, description, info).
 * What is kept is what builds read: the objects of the pinned commits, in one
 * pack made here, HEAD, the tag, the shallow boundary, and a config naming
 * the upstream URLs.
 */
async function canonicalizeGitDirs(
  gitDir: string,
  pin: { commit: string; tag?: string },
  git: Git,
): Promise<void> {
  const submodules = (await submoduleConfig(git, gitDir)).map(([key, value]) => ({ key, value }));
  await canonicalizeGitDir(gitDir, pin, git, submodules);
  for (const submoduleGitDir of await gitDirsUnder(path.join(gitDir, "modules"))) {
    const head = (await readFile(path.join(submoduleGitDir, "HEAD"), "utf8")).trim();
    await canonicalizeGitDir(submoduleGitDir, { commit: head }, git, []);
  }
}

async function canonicalizeGitDir(
  gitDir: string,
  pin: { commit: string; tag?: string },
  git: Git,
  submodules: Array<{ key: string; value: string }>,
): Promise<void> {
  const inDir = (...args: string[]) => git(`--git-dir=${gitDir}`, ...args);
  const setting = async (key: string) => (await inDir("config", "--get", key).catch(() => ({ stdout: "" }))).stdout.trim();
  const tagObject = pin.tag ? (await inDir("rev-parse", "--verify", `refs/tags/${pin.tag}`)).stdout.trim() : undefined;
  const worktree = await setting("core.worktree");
  const originUrl = await setting("remote.origin.url");
  // A source with paths is a partial clone: it lacks the files outside them, and stays one.
  const partial = (await setting("remote.origin.promisor")) === "true";

  for (const volatile of ["FETCH_HEAD", "ORIG_HEAD", "index", "logs", "hooks", "info", "description", "branches", "packed-refs", "refs"]) {
    await rm(path.join(gitDir, volatile), { recursive: true, force: true });
  }
  await mkdir(path.join(gitDir, "refs/heads"), { recursive: true });
  await mkdir(path.join(gitDir, "refs/tags"), { recursive: true });
  if (pin.tag && tagObject) await writeFile(path.join(gitDir, "refs/tags", pin.tag), `${tagObject}\n`);
  // HEAD stays detached at the commit; only the pinned commit's missing parents mark the shallow boundary.
  await writeFile(path.join(gitDir, "HEAD"), `${pin.commit}\n`);
  const shallow = path.join(gitDir, "shallow");
  const wasShallow = existsSync(shallow) && (await readFile(shallow, "utf8")).split("\n").includes(pin.commit);
  await rm(shallow, { force: true });
  if (wasShallow) await writeFile(shallow, `${pin.commit}\n`);

  // One pack of what HEAD and the tag reach, computed here rather than reused
  // from the server's packs, single-threaded so that it is the same every
  // time (objects a partial clone lacks are left out, never fetched); then
  // nothing else in objects/.
  const objects = path.join(gitDir, "objects");
  const packDir = await mkdtemp(path.join(gitDir, "new-pack-"));
  const { stdout: packName } = await inDir(
    "pack-objects", "--all", "--missing=allow-any", "--no-reuse-object", "--threads=1", "-q", path.join(packDir, "pack"),
  );
  for (const entry of await readdir(objects)) await rm(path.join(objects, entry), { recursive: true, force: true });
  await mkdir(path.join(objects, "pack"), { recursive: true });
  for (const extension of ["pack", "idx"]) {
    const file = `pack-${packName.trim()}.${extension}`;
    await rename(path.join(packDir, file), path.join(objects, "pack", file));
  }
  // What a partial clone's own packs are marked with: its objects came from the promisor remote.
  if (partial) await writeFile(path.join(objects, "pack", `pack-${packName.trim()}.promisor`), "");
  await rm(packDir, { recursive: true, force: true });

  const config = path.join(gitDir, "config");
  await rm(config, { force: true });
  const entries: Array<[string, string]> = [
    ["core.repositoryformatversion", partial ? "1" : "0"],
    ["core.filemode", "true"],
    ["core.bare", "false"],
    ...(worktree ? [["core.worktree", worktree] as [string, string]] : []),
    ["remote.origin.url", originUrl],
    ["remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"],
    ...(partial
      ? ([
          ["remote.origin.promisor", "true"],
          ["remote.origin.partialclonefilter", "blob:none"],
        ] as Array<[string, string]>)
      : []),
    ...submodules.map(({ key, value }) => [key, value] as [string, string]),
  ];
  for (const [key, value] of entries) await git("config", "-f", config, "--add", key, value);
}

/** The superproject's submodule.<name>.(active|url) entries, in the order git wrote them. */
async function submoduleConfig(git: Git, gitDir: string): Promise<Array<[string, string]>> {
  const { stdout } = await git(`--git-dir=${gitDir}`, "config", "--get-regexp", "^submodule\\.").catch(() => ({ stdout: "" }));
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const space = line.indexOf(" ");
      return [line.slice(0, space), line.slice(space + 1)] as [string, string];
    });
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
