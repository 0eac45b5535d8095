// A release archive fetched on the host (from the mirror, or downloaded),
// verified against its pinned SHA-256, and kept in the download cache.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { buildOnce } from "../local/build-cache.js";
import { mirrorPath, missingFromMirror } from "./mirror.js";
import { SourceError, type ArchiveSource } from "./source-list.js";
import type { FetchContext } from "./fetch-context.js";

export async function fetchArchiveSource(source: ArchiveSource, context: FetchContext): Promise<string> {
  const cached = path.join(context.cacheDir, "sources", `${source.sha256.slice(0, 16)}-${source.name}`);
  const { built } = await buildOnce(cached, async (temporaryPath) => {
    if (context.mirror) {
      const inMirror = mirrorPath(context.mirror, source.url);
      if (!existsSync(inMirror)) throw missingFromMirror(context.recipe, source.url, context.mirror, "the file");
      context.log.info(`${context.recipe}: taking ${source.url} from the mirror ${context.mirror}`);
      await copyFile(inMirror, temporaryPath);
    } else {
      context.log.info(`${context.recipe}: downloading ${source.url}`);
      await download(source.url, temporaryPath, context);
    }
    const actual = await sha256Of(temporaryPath);
    if (actual !== source.sha256) {
      throw new SourceError(
        `${context.recipe}: ${source.url} has the SHA-256 ${actual}, not the pinned ${source.sha256}: ` +
          `the archive changed upstream${context.mirror ? " or the mirror's copy differs" : " or the download was damaged"}. ` +
          "Check it, then pin the new hash in the recipe's sources.json",
      );
    }
  });
  if (!built) context.log.debug(`${context.recipe}: ${source.name} from the download cache (${cached})`);
  return cached;
}

async function download(url: string, file: string, context: FetchContext): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, context.signal ? { signal: context.signal } : {});
  } catch (error) {
    throw new SourceError(`${context.recipe}: could not download ${url} (${(error as Error).message}): check the network, or use a sources mirror (--sources-mirror)`);
  }
  if (!response.ok || !response.body) throw new SourceError(`${context.recipe}: downloading ${url} failed: HTTP ${response.status} ${response.statusText}`);
  await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), createWriteStream(file));
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}
