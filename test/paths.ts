// Paths the integration tests share.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI_PATH = path.join(PROJECT_ROOT, "dist/cli/main.js");
/** Built guests shared by the test files (kept between runs; .gitignored). */
export const TEST_CACHE_DIR = path.join(PROJECT_ROOT, ".cache/test");
/**
 * The offline mirror the OSv and Unikraft recipes' sources come from in the
 * tests: $BENCHMARK_TOOL_SOURCES_MIRROR, else ../shared/sources beside the
 * project (this project's machines and CI); without either, upstream.
 */
export const SOURCES_MIRROR: string | undefined =
  process.env.BENCHMARK_TOOL_SOURCES_MIRROR || (existsSync(path.join(PROJECT_ROOT, "../shared/sources")) ? path.join(PROJECT_ROOT, "../shared/sources") : undefined);
/** QEMU that notes its boots in $QEMU_BOOTS_LOG, and with FAKE_KVM_FAILS=1 fails under KVM as nested KVM fails Linux. */
export const QEMU_WRAPPER = path.join(PROJECT_ROOT, "test/performance/qemu-wrapper.sh");
