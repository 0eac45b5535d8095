// The workloads (guests/workloads/*.c), compiled static with the host gcc.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { buildOnce, GUESTS_DIR, hashInputs } from "./build-cache.js";
import { gccVersion } from "./gcc.js";
import { runCommand } from "./run-command.js";
import type { BuildRequest } from "../types.js";
import type { Workload } from "../../../vocabulary/workloads.js";

const SOURCE_DIR = path.join(GUESTS_DIR, "workloads");
const GCC_FLAGS = ["-static", "-O2", "-Wall", "-Wextra", "-Werror"];

/** Compiles a workload into <cacheDir>/workloads/<hash>/<workload> unless it is there already; returns its path. */
export async function buildWorkload(workload: Workload, request: Pick<BuildRequest, "cacheDir" | "log" | "signal">): Promise<string> {
  const source = `${workload}.c`;
  const key = hashInputs([await gccVersion(), GCC_FLAGS.join(" "), await readFile(path.join(SOURCE_DIR, source))]);
  const artifactPath = path.join(request.cacheDir, "workloads", key, workload);
  const { built } = await buildOnce(artifactPath, async (temporaryPath) => {
    request.log.info(`Building the ${workload} workload into ${artifactPath}`);
    await runCommand("gcc", [...GCC_FLAGS, "-o", temporaryPath, source], { cwd: SOURCE_DIR, signal: request.signal });
  });
  if (!built) request.log.debug(`Reusing the ${workload} workload ${artifactPath}`);
  return artifactPath;
}
