// A target built from the seed's recipes: unikernels/<name>/<vmm>/<name>.Dockerfile
// is built through the Docker Engine API, its boot files copied out, and the VMM
// runs them on the host.
import { existsSync, readFileSync } from "node:fs";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import type { SupportedUnikernel } from "../../supported.js";
import { type Availability, type BootArtifacts, type BuildRequest, type TargetBuilder } from "../types.js";
import { WORKLOADS, type Workload } from "../../../vocabulary/workloads.js";
import { fetchSources } from "../sources/fetch-sources.js";
import { SOURCES_FILE } from "../sources/source-list.js";
import { extractArtifacts } from "./artifact-extractor.js";
import { prepareBaseImages } from "./base-image.js";
import { packBuildContext, type ContextFile } from "./build-context.js";
import { sharedDockerClient, type DockerClient } from "./docker-client.js";
import { buildImage } from "./image-builder.js";
import { manifestBootArgs, parseManifest } from "./manifest.js";
import { PROJECT_ROOT } from "../local/build-cache.js";
import { dockerfileName, recipeDir, UNIKERNELS_DIR, WORKLOADS_DIR } from "./paths.js";

/** The label every image the tool builds carries, to find them again. */
export const IMAGE_LABEL = "benchmark-tool.recipe";

export interface DockerTargetOptions {
  /** Where <name>/<vmm>/<name>.Dockerfile are; the project's unikernels/ by default. */
  recipesRoot?: string;
  workloads?: readonly Workload[];
  /** Files added to every build context, besides the recipe folder and the workloads. */
  extraFiles?: readonly ContextFile[];
  /** Build arguments added to every build (the tests' recipes label their images with their run's own). */
  buildArgs?: Readonly<Record<string, string>>;
  client?: DockerClient;
}

export class DockerTargetBuilder implements TargetBuilder {
  readonly workloads: readonly Workload[];
  private readonly recipesRoot: string;
  private readonly extraFiles: readonly ContextFile[];
  private readonly extraBuildArgs: Readonly<Record<string, string>>;
  private readonly client: DockerClient;

  constructor(
    readonly name: string,
    options: DockerTargetOptions = {},
  ) {
    this.recipesRoot = options.recipesRoot ?? UNIKERNELS_DIR;
    this.workloads = options.workloads ?? WORKLOADS;
    this.extraFiles = options.extraFiles ?? [];
    this.extraBuildArgs = options.buildArgs ?? {};
    this.client = options.client ?? sharedDockerClient();
  }

  checkAvailable(): Promise<Availability> {
    return this.client.checkAvailable();
  }

  /** <recipesRoot>/<name>/<vmm>/<name>.Dockerfile. */
  recipePath(vmm: string): string {
    return path.join(recipeDir(this.recipesRoot, this.name, vmm), dockerfileName(this.name));
  }

  /** What the recipe folder's manifest says it does not build (its unsupportedWorkloads), read before any build. */
  unsupportedWorkloadOn(vmm: string, workload: Workload): string | undefined {
    const manifestFile = path.join(recipeDir(this.recipesRoot, this.name, vmm), "manifest.json");
    let text: string;
    try {
      text = readFileSync(manifestFile, "utf8");
    } catch {
      // No recipe, or no manifest beside it: the build says so.
      return undefined;
    }
    try {
      return parseManifest(text, displayPath(manifestFile)).unsupportedWorkloads?.[workload];
    } catch {
      // An invalid manifest fails the build, with each wrong field named.
      return undefined;
    }
  }

  async build(request: BuildRequest): Promise<BootArtifacts> {
    if (!this.workloads.includes(request.workload)) {
      throw new Error(`${this.name} runs only the ${this.workloads.join(", ")} workload(s), not '${request.workload}'`);
    }
    const unsupported = this.unsupportedWorkloadOn(request.vmm, request.workload);
    if (unsupported) throw new Error(`${this.name} on ${request.vmm} does not build the '${request.workload}' workload: ${unsupported}`);
    const recipe = this.recipePath(request.vmm);
    const recipeName = displayPath(recipe);
    try {
      await access(recipe);
    } catch {
      throw new Error(`${this.name} has no recipe for ${request.vmm}: ${recipeName} does not exist`);
    }
    const docker = this.client.docker;
    const sharedDir = path.join(this.recipesRoot, this.name);
    const sourcesFile = path.join(sharedDir, SOURCES_FILE);
    const sources = existsSync(sourcesFile)
      ? await fetchSources(sourcesFile, {
          recipe: displayPath(sourcesFile),
          cacheDir: request.cacheDir,
          ...(request.sourcesMirror ? { mirror: request.sourcesMirror } : {}),
          log: request.log,
          ...(request.signal ? { signal: request.signal } : {}),
        })
      : [];
    const bases = await prepareBaseImages(docker, await readFile(recipe, "utf8"), recipeName, request.log);
    const context = await packBuildContext({
      recipeDir: path.dirname(recipe),
      sharedDir,
      workloadsDir: WORKLOADS_DIR,
      extraFiles: [...this.extraFiles, ...sources.map((s) => ({ name: s.contextPath, sourcePath: s.hostPath }))],
    });
    const tag = `${this.name}-${request.vmm}`;
    const built = await buildImage(docker, {
      context,
      dockerfile: dockerfileName(this.name),
      tag,
      buildArgs: { ...this.extraBuildArgs, ...bases.buildArgs, WORKLOAD: request.workload },
      labels: { [IMAGE_LABEL]: `${this.name}/${request.vmm}` },
      noCache: Boolean(request.clearCache),
      description: `${this.name} for ${request.vmm} from ${recipeName}`,
      log: request.log,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const image = await extractArtifacts(docker, built.imageId, request.cacheDir, recipeName);
    const { manifest } = image;
    request.log.debug(
      `${image.extracted ? "Extracted" : "Reusing"} ${tag}'s boot files in ${path.dirname((image.files.kernel ?? image.files.disk)!)}; the guest ends by ${manifest.exit}`,
    );
    return {
      ...(image.files.kernel ? { kernelPath: image.files.kernel } : {}),
      ...(image.files.initrd ? { initrdPath: image.files.initrd } : {}),
      ...(image.files.disk ? { diskPath: image.files.disk } : {}),
      ...(image.files.vmmBinary ? { vmmBinaryPath: image.files.vmmBinary } : {}),
      bootArgs: manifestBootArgs(manifest, request.workload),
      readyMarker: manifest.readyMarker,
      exit: manifest.exit,
      ...(manifest.qemu ? { qemu: manifest.qemu } : {}),
      ...(manifest.guestReportedBoot ? { guestReportedBoot: manifest.guestReportedBoot } : {}),
      ...(manifest.memoryMiB ? { memoryMiB: manifest.memoryMiB } : {}),
      ...(bases.substitutions.length ? { buildNotes: bases.substitutions } : {}),
    };
  }
}

/** A path relative to the project when it is inside it (shorter errors). */
function displayPath(file: string): string {
  const relative = path.relative(PROJECT_ROOT, file);
  return relative.startsWith("..") ? file : relative;
}

/** A builder for each registry entry that has a recipe folder under `recipesRoot`. */
export function dockerTargetBuilders(registry: Record<string, SupportedUnikernel>, recipesRoot = UNIKERNELS_DIR): DockerTargetBuilder[] {
  return Object.values(registry)
    .filter((u) => existsSync(path.join(recipesRoot, u.unikernelName)))
    .map((u) => new DockerTargetBuilder(u.unikernelName, { recipesRoot }));
}
