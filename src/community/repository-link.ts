// Turns a command-line argument into an owner/name pair. Accepted:
// https://github.com/OWNER/REPO, github.com/OWNER/REPO and OWNER/REPO, each
// with or without a trailing slash or ".git".
export interface RepositoryRef {
  owner: string;
  name: string;
}

// GitHub's own limits: owners are alphanumerics and single hyphens, names add
// dots and underscores. Checking here gives a clear error before any request.
const OWNER = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})";
const NAME = "[A-Za-z0-9._-]{1,100}";
const LINK = new RegExp(`^(?:(?:https?://)?(?:www\\.)?github\\.com/)?(${OWNER})/(${NAME}?)(?:\\.git)?/?$`, "i");

export class RepositoryLinkError extends Error {
  override readonly name = "RepositoryLinkError";
}

export function parseRepositoryLink(argument: string): RepositoryRef {
  const match = LINK.exec(argument.trim());
  const owner = match?.[1];
  const name = match?.[2];
  if (!owner || !name || name === "." || name === "..") {
    throw new RepositoryLinkError(
      `"${argument}" is not a GitHub repository link; expected https://github.com/OWNER/REPO, github.com/OWNER/REPO or OWNER/REPO`,
    );
  }
  return { owner, name };
}

export function formatRepositoryRef(ref: RepositoryRef): string {
  return `${ref.owner}/${ref.name}`;
}
