// Files and directories, where what goes wrong must reach the user as it is:
// a failed operation in words (the cause to act on first, the system's code
// after it), and a recursive mkdir that reports the real cause.
import { mkdir } from "node:fs/promises";
import path from "node:path";

export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return `the disk is full (${code})`;
    case "EROFS":
      return "the file system is read-only (EROFS)";
    case "EACCES":
    case "EPERM":
      return `this user may not write there (${code})`;
    case "ENOTDIR":
      return "a file stands where a directory should be (ENOTDIR)";
    default:
      return (error as Error).message;
  }
}

/**
 * mkdir -p. Node's own recursive mkdir reports ENOENT where the cause is a
 * read-only file system, and never returns under /proc; this one makes each
 * missing directory in turn and passes on the first real error.
 */
export async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    if (code !== "ENOENT" || path.dirname(dir) === dir) throw error;
    await makeDirectory(path.dirname(dir));
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== "EEXIST") throw again;
    });
  }
}
