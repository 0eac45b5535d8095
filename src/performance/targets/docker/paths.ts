// Where the Docker-built targets' inputs live in the project.
import path from "node:path";
import { GUESTS_DIR, PROJECT_ROOT } from "../local/build-cache.js";

/** unikernels/<name>/<vmm>/<name>.Dockerfile, the seed's layout. */
export const UNIKERNELS_DIR = path.join(PROJECT_ROOT, "unikernels");
/** The workloads' C sources, which every recipe builds into its unikernel. */
export const WORKLOADS_DIR = path.join(GUESTS_DIR, "workloads");

export function recipeDir(recipesRoot: string, unikernel: string, vmm: string): string {
  return path.join(recipesRoot, unikernel, vmm);
}

export function dockerfileName(unikernel: string): string {
  return `${unikernel}.Dockerfile`;
}
