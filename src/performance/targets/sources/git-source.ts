// A git source fetched on the host at its pinned commit (verified against its
// tag), with the submodules it names, and kept in the download cache as one
// reproducible tar of the checkout, .git included (OSv's build runs git describe).
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildOnce, hashInputs } from "../local/build-cache.js";
import { runCommand } from "../local/run-command.js";
import { gitMirrorOptions, mirrorGitRepository, missingFromMirror } from "./mirror.js";
import { SourceError, type GitSource } from "./source-list.js";
import type { FetchContext } from "./fetch-context.js";

/** Changed whenever what goes into a checkout's tar changes, so that older ones in the cache are not reused. */
const CHECKOUT_FORMAT = "3";

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
    throw new SourceError(
      `${context.recipe}: could not fetch ${what} of ${source.git}` +
        `${context.mirror ? ` from the mirror ${context.mirror}` : " (check the network, or use a sources mirror: --sources-mirror)"}: ${(error as Error).message}`,
    );
  };
  if (source.tag) {
    await git("fetch", "-q", "--depth", "1", "--no-tags", "origin", `+refs/tags/${source.tag}:refs/tags/${source.tag}`).catch(fetchFailed(`the tag ${source.tag}`));
    const { stdout } = await git("rev-parse", "--verify", `refs/tags/${source.tag}^{commit}`);
    const resolved = stdout.trim();
    if (resolved !== source.commit) {
      throw new SourceError(
        `${context.recipe}: the tag ${source.tag} of ${source.git} points to ${resolved}, not to the pinned commit ${source.commit}: ` +
          "the tag moved upstream. Check what changed, then pin the new commit (or keep the old one without its tag) in the recipe's sources.json",
      );
    }
  } else {
    await git("fetch", "-q", "--depth", "1", "--no-tags", "origin", source.commit).catch(fetchFailed(`the commit ${source.commit}`));
  }
  await git("checkout", "-q", "--detach", source.commit);
  if (source.submodules?.length) await checkOutSubmodules(source, context, git);
  return git;
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
  const tagObject = pin.tag ? (await inDir("rev-parse", "--verify", `refs/tags/${pin.tag}`)).stdout.trim() : undefined;
  const worktree = (await inDir("config", "--get", "core.worktree").catch(() => ({ stdout: "" }))).stdout.trim();
  const originUrl = (await inDir("config", "--get", "remote.origin.url")).stdout.trim();

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

  const config = path.join(gitDir, "config");
  await rm(config, { force: true });
  const entries: Array<[string, string]> = [
    ["core.repositoryformatversion", "0"],
    ["core.filemode", "true"],
    ["core.bare", "false"],
    ...(worktree ? [["core.worktree", worktree] as [string, string]] : []),
    ["remote.origin.url", originUrl],
    ["remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"],
    ...submodules.map(({ key, value }) => [key, value] as [string, string]),
  ];
  for (const [key, value] of entries) await git("config", "-f", config, "--add", key, value);

  // One pack of what the commit (and tag) reach, computed here rather than
  // reused from the server's packs, single-threaded so that it is the same
  // every time; then nothing else.
  await inDir("-c", "pack.threads=1", "-c", "repack.updateServerInfo=false", "-c", "pack.writeReverseIndex=false", "repack", "-a", "-d", "-f", "-F", "-q");
  const objects = path.join(gitDir, "objects");
  for (const entry of await readdir(objects)) if (entry !== "pack") await rm(path.join(objects, entry), { recursive: true, force: true });
  for (const entry of await readdir(path.join(objects, "pack"))) {
    if (!/\.(pack|idx)$/.test(entry)) await rm(path.join(objects, "pack", entry), { force: true });
  }
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
