// Checks of the paths a user gives, made before anything starts, so that a
// run never measures for minutes only to find it cannot keep its results.
// Each failure is a UsageError naming the option, the path and what to do.
import { constants } from "node:fs";
import { access, mkdtemp, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { describeFileError } from "../files.js";
import { UsageError } from "./exit-codes.js";

async function statOrUndefined(file: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    // A file where a directory should be, on the way (ENOTDIR): say so below.
    if (code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** The nearest path at or above `target` that exists. */
async function nearestExisting(target: string): Promise<{ path: string; isDirectory: boolean }> {
  for (let current = target; ; current = path.dirname(current)) {
    const info = await statOrUndefined(current);
    if (info) return { path: current, isDirectory: info.isDirectory() };
    if (path.dirname(current) === current) return { path: current, isDirectory: true };
  }
}

/** A directory the tool can write to, or can create: its nearest existing ancestor is a writable directory. */
export async function checkWritableDirectory(option: string, dir: string): Promise<void> {
  const existing = await nearestExisting(dir);
  if (!existing.isDirectory) {
    throw new UsageError(`${option} ${dir}: ${existing.path} is a file, not a directory; choose a directory`);
  }
  try {
    // Making a directory there is the only test that holds everywhere: access()
    // says yes to root on file systems that refuse (/proc) or are full.
    await rmdir(await mkdtemp(path.join(existing.path, ".benchmark-tool-write-test-")));
  } catch (error) {
    const where = existing.path === dir ? dir : `${dir} (to be created in ${existing.path})`;
    throw new UsageError(`${option} ${where} is not writable: ${describeFileError(error)}; choose a directory you can write to`);
  }
}

/** A directory that exists, for commands that only read what is in it. */
export async function checkExistingDirectory(option: string, dir: string, whatGoesThere: string): Promise<void> {
  const info = await statOrUndefined(dir);
  if (!info) throw new UsageError(`${option} ${dir} does not exist; ${whatGoesThere}`);
  if (!info.isDirectory()) throw new UsageError(`${option} ${dir} is a file, not a directory`);
}

/** An executable file. */
export async function checkExecutableFile(option: string, file: string): Promise<void> {
  const info = await statOrUndefined(file);
  if (!info) throw new UsageError(`${option} ${file} does not exist; give the path of the executable`);
  if (!info.isFile()) throw new UsageError(`${option} ${file} is not a file; give the path of the executable`);
  try {
    await access(file, constants.X_OK);
  } catch {
    throw new UsageError(`${option} ${file} is not executable (chmod +x ${file})`);
  }
}

/** A file the tool can create or replace: not a directory, in a directory it can write to. */
export async function checkWritableFile(option: string, file: string): Promise<void> {
  const info = await statOrUndefined(file);
  if (info?.isDirectory()) throw new UsageError(`${option} ${file} is a directory; give the path of a file to write`);
  const dir = path.dirname(file);
  const dirInfo = await statOrUndefined(dir);
  if (!dirInfo) throw new UsageError(`${option} ${file}: the directory ${dir} does not exist; create it first or choose another path`);
  if (!dirInfo.isDirectory()) throw new UsageError(`${option} ${file}: ${dir} is not a directory`);
  try {
    await access(info ? file : dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`${option} ${file}: ${describeFileError(error)}; choose a path you can write to`);
  }
}
