// Where built guests and the KVM trials' verdicts are kept unless --cache-dir
// says otherwise: the same default for performance and targets.
import os from "node:os";
import path from "node:path";

export function defaultCacheDir(): string {
  if (process.env.BENCHMARK_TOOL_CACHE_DIR) return process.env.BENCHMARK_TOOL_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "benchmark-tool");
}

/** --cache-dir made absolute (guests are built in other working directories), else the default. */
export function resolveCacheDir(option: string | undefined): string {
  return path.resolve(option ?? defaultCacheDir());
}
