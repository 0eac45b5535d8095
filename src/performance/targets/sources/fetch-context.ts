// What fetching a recipe's sources needs to know, whatever the kind of source.
import type { Logger } from "../../../log/logger.js";

export interface FetchContext {
  /** Names the recipe in messages, e.g. "unikernels/osv/sources.json". */
  recipe: string;
  /** The download cache is <cacheDir>/sources/. */
  cacheDir: string;
  /** A sources mirror (<host>/<path> of each URL): everything comes from it, nothing from the network. */
  mirror?: string;
  log: Logger;
  signal?: AbortSignal;
}
