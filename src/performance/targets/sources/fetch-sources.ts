// Fetches every source a recipe declares and says where each goes in its
// Docker build context: sources/<name>.tar for a git checkout (a Dockerfile
// ADDs it, which unpacks it), sources/<name> for an archive (COPY keeps it whole).
import { fetchArchiveSource } from "./archive-source.js";
import type { FetchContext } from "./fetch-context.js";
import { fetchGitSource } from "./git-source.js";
import { isGitSource, readSourceList } from "./source-list.js";

export const SOURCES_IN_CONTEXT = "sources";

export interface FetchedSource {
  /** Its path in the build context. */
  contextPath: string;
  /** The file in the download cache. */
  hostPath: string;
}

export async function fetchSources(sourcesFile: string, context: FetchContext): Promise<FetchedSource[]> {
  const fetched: FetchedSource[] = [];
  for (const source of await readSourceList(sourcesFile, context.recipe)) {
    fetched.push(
      isGitSource(source)
        ? { contextPath: `${SOURCES_IN_CONTEXT}/${source.name}.tar`, hostPath: await fetchGitSource(source, context) }
        : { contextPath: `${SOURCES_IN_CONTEXT}/${source.name}`, hostPath: await fetchArchiveSource(source, context) },
    );
  }
  return fetched;
}
