// The upstream sources a recipe builds from, declared in
// unikernels/<name>/sources.json: git repositories pinned to a commit (and the
// tag that must resolve to it), release archives pinned to their SHA-256. The
// tool fetches them on the host and hands them to the Docker build.
import { readFile } from "node:fs/promises";
import { z } from "zod";

export const SOURCES_FILE = "sources.json";

const name = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "must be a lower-case file name: letters, digits, '.', '_' or '-'");
const upstreamUrl = z
  .string()
  .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), "must be an http(s) URL")
  .refine((u) => !URL.canParse(u) || (!new URL(u).search && !new URL(u).hash), "must have no query or fragment (the mirror is laid out by host and path)");

/** A path in a repository, as a sparse checkout takes it: relative, literal (no wildcards), no '.' or '..'. */
const repositoryPath = z
  .string()
  .regex(/^[A-Za-z0-9_.+-][A-Za-z0-9_.+/-]*$/, "must be a relative path in the repository: letters, digits, '.', '_', '+', '-' and '/', no wildcards (e.g. source/)")
  .refine(
    (p) => p.replace(/\/$/, "").split("/").every((segment) => segment !== "" && segment !== "." && segment !== ".."),
    "must be a normalised path, without '.', '..' or '//' (e.g. source/)",
  );

export const GitSourceSchema = z
  .strictObject({
    /** The build context holds it as sources/<name>.tar: the checkout, .git included. */
    name,
    git: upstreamUrl,
    /** The commit the build uses, 40 hex digits. */
    commit: z.string().regex(/^[0-9a-f]{40}$/, "must be a full 40-digit commit hash"),
    /** A release tag that must resolve to `commit`; fetched too, so that `git describe` names it. */
    tag: z.string().min(1).optional(),
    /** Submodules to check out (paths in the repository), at the commits the superproject records. */
    submodules: z.array(z.string().min(1)).optional(),
    /**
     * Only these paths (folders or files) of the repository: it is fetched
     * without file contents (--filter=blob:none), and a sparse checkout of
     * these paths fetches theirs alone. Faster for a large repository, and it
     * works with a mirror that holds part of one.
     */
    paths: z.array(repositoryPath).min(1).optional(),
  })
  .refine((s) => !(s.paths && s.submodules), {
    message:
      "cannot be given with submodules: a sparse checkout leaves out the submodules outside its paths; declare the submodule's repository as a source of its own",
    path: ["paths"],
  });

export const ArchiveSourceSchema = z.strictObject({
  /** The build context holds it as sources/<name>, unchanged. */
  name,
  url: upstreamUrl,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
});

export const SourceListSchema = z.strictObject({
  $comment: z.string().optional(),
  sources: z.array(z.union([GitSourceSchema, ArchiveSourceSchema])).min(1),
});

export type GitSource = z.infer<typeof GitSourceSchema>;
export type ArchiveSource = z.infer<typeof ArchiveSourceSchema>;
export type Source = GitSource | ArchiveSource;

export function isGitSource(source: Source): source is GitSource {
  return "git" in source;
}

/** A problem with a recipe's sources; the message names the recipe and says what to do. */
export class SourceError extends Error {
  override readonly name = "SourceError";
}

/** Reads and checks a sources.json; `file` names it in errors. */
export async function readSourceList(file: string, displayName = file): Promise<Source[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new SourceError(`${displayName} could not be read as JSON: ${(error as Error).message}`);
  }
  const parsed = SourceListSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, json));
    throw new SourceError(`${displayName} is not a valid source list: ${problems.join("; ")}`);
  }
  const names = parsed.data.sources.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new SourceError(`${displayName}: two sources are named '${twice}'; each needs its own name in the build context`);
  return parsed.data.sources;
}

/**
 * "field: what is wrong". A source that fits neither kind is described as the
 * kind its keys say it is meant to be (git or url), so that a missing commit
 * or sha256 is named rather than "Invalid input".
 */
function describeIssue(issue: z.core.$ZodIssue, json: unknown): string[] {
  const where = (path: readonly PropertyKey[]) => path.map(String).join(".") || "(the file)";
  if (issue.code !== "invalid_union") return [`${where(issue.path)}: ${issue.message}`];
  const at = (path: readonly PropertyKey[]): unknown =>
    path.reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined), json);
  const value = at(issue.path);
  const meant = typeof value === "object" && value !== null ? ("git" in value ? 0 : "url" in value ? 1 : undefined) : undefined;
  if (meant === undefined || !issue.errors[meant]) {
    return [`${where(issue.path)}: must be a git source (name, git, commit) or an archive (name, url, sha256)`];
  }
  return issue.errors[meant].map((inner) => {
    const path = [...issue.path, ...inner.path];
    const message = inner.code === "invalid_type" && at(path) === undefined ? "required, but missing" : inner.message;
    return `${where(path)}: ${message}`;
  });
}
