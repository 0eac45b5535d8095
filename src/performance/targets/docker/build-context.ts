// The tar stream Docker builds from: the recipe folder at the root, the files
// its unikernel's recipes share under common/, the project's workloads under
// workloads/, and any extra files the caller adds
// (as the seed copied its benchmark executable into the context).
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";

/** Where workloads/*.c sit in the build context, for the recipes' COPY lines. */
export const WORKLOADS_IN_CONTEXT = "workloads";
/** Where the files a unikernel's recipes share (unikernels/<name>/*) sit in the context. */
export const COMMON_IN_CONTEXT = "common";

export interface ContextFile {
  /** Path inside the context, with forward slashes (e.g. "null.elf"). */
  name: string;
  /** The file on the host. */
  sourcePath: string;
}

export interface BuildContextSpec {
  recipeDir: string;
  /** Its files (not its folders) are added under common/: what every VMM's recipe shares. */
  sharedDir?: string;
  workloadsDir: string;
  extraFiles?: readonly ContextFile[];
}

/**
 * Every entry gets the same owner and timestamp, so that the same files give
 * the same context and Docker's layer cache is hit whatever the checkout's mtimes.
 */
const FIXED_MTIME = new Date(0);

export async function listContextFiles(spec: BuildContextSpec): Promise<ContextFile[]> {
  const files = [
    ...(await filesUnder(spec.recipeDir, "")),
    ...(spec.sharedDir ? await filesUnder(spec.sharedDir, COMMON_IN_CONTEXT, false) : []),
    ...(await filesUnder(spec.workloadsDir, WORKLOADS_IN_CONTEXT)),
    ...(spec.extraFiles ?? []),
  ];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.name)) throw new Error(`two files would be ${file.name} in the build context of ${spec.recipeDir}; rename one`);
    seen.add(file.name);
  }
  return files;
}

export async function packBuildContext(spec: BuildContextSpec): Promise<Readable> {
  const files = await listContextFiles(spec);
  const pack = tar.pack();
  // Written in the background; an error ends the stream with that error.
  void (async () => {
    try {
      for (const file of files) {
        const info = await stat(file.sourcePath);
        // Streamed: a recipe's sources can be hundreds of MiB.
        const entry = pack.entry({ name: file.name, size: info.size, mode: info.mode & 0o777, mtime: FIXED_MTIME, uid: 0, gid: 0 });
        await pipeline(createReadStream(file.sourcePath), entry);
      }
      pack.finalize();
    } catch (error) {
      pack.destroy(error as Error);
    }
  })();
  return pack as unknown as Readable;
}

async function filesUnder(dir: string, prefix: string, recursive = true): Promise<ContextFile[]> {
  const found: ContextFile[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const sourcePath = path.join(dir, entry.name);
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && recursive) found.push(...(await filesUnder(sourcePath, name)));
    else if (entry.isFile()) found.push({ name, sourcePath });
  }
  return found;
}
