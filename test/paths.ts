// Paths the integration tests share.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_PATH = path.join(PROJECT_ROOT, "dist/cli/main.js");
/** Built guests shared by the test files (kept between runs; .gitignored). */
export const TEST_CACHE_DIR = path.join(PROJECT_ROOT, ".cache/test");
