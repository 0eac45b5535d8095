// The base images a recipe builds FROM. A recipe names its pinned upstream
// base as an ARG default (ARG DEBIAN_IMAGE=debian:12.5, FROM ${DEBIAN_IMAGE});
// the tool uses that image when it is present or can be pulled, and otherwise,
// with no step from the user, an equivalent base it can make itself (Debian
// from Debian's own packages), passed through that ARG under its own name.
import type Docker from "dockerode";
import { DockerfileParser } from "dockerfile-ast";
import type { Logger } from "../../../log/logger.js";
import { debianSubstitute, type BaseSubstitute } from "./debian-base.js";

export interface BaseImages {
  /** Build arguments that swap a base for its substitute. */
  buildArgs: Record<string, string>;
  /** What was substituted, in words, for the results. */
  substitutions: string[];
}

interface ExternalBase {
  image: string;
  /** The ARG that names it, when the FROM line uses one. */
  arg?: string;
}

/** The base images a Dockerfile pulls in (not its own stages, not scratch), with their ARG defaults applied. */
export function externalBases(dockerfileText: string): ExternalBase[] {
  const dockerfile = DockerfileParser.parse(dockerfileText);
  const defaults = new Map(
    dockerfile.getInitialARGs().flatMap((a) => {
      const property = a.getProperty();
      return property?.getValue() ? [[property.getName(), property.getValue()!] as const] : [];
    }),
  );
  const stages = new Set<string>();
  const bases: ExternalBase[] = [];
  for (const from of dockerfile.getFROMs()) {
    const written = from.getImage() ?? "";
    const arg = /^\$\{?(\w+)\}?$/.exec(written)?.[1];
    const image = arg ? defaults.get(arg) : written;
    const stage = from.getBuildStage();
    if (image && image !== "scratch" && !stages.has(image) && !bases.some((b) => b.image === image)) bases.push({ image, ...(arg ? { arg } : {}) });
    if (stage) stages.add(stage);
  }
  return bases;
}

export async function prepareBaseImages(docker: Docker, dockerfileText: string, recipe: string, log: Logger): Promise<BaseImages> {
  const result: BaseImages = { buildArgs: {}, substitutions: [] };
  for (const base of externalBases(dockerfileText)) {
    if (await isPresent(docker, base.image)) continue;
    const pullError = await pull(docker, base.image, log);
    if (pullError === undefined) continue;
    const substitute = debianSubstitute(base.image);
    if (!substitute) {
      throw new Error(
        `${recipe}: its base image ${base.image} is not on this machine and could not be pulled (${pullError}), ` +
          "and the tool can make only Debian bases itself. Load the image (docker load -i <file>, saved with docker save on a machine with a registry), " +
          "or base the recipe on debian",
      );
    }
    if (!base.arg) {
      throw new Error(
        `${recipe}: its base image ${base.image} is not on this machine and could not be pulled (${pullError}). ` +
          `Name it through an ARG (ARG BASE_IMAGE=${base.image}, then FROM \${BASE_IMAGE}) so that the tool can build FROM ${substitute.tag} instead, or load the image`,
      );
    }
    log.info(`${recipe}: ${base.image} is not on this machine and could not be pulled (${pullError}); building FROM ${substitute.tag} instead (${substitute.description})`);
    await ensureSubstitute(docker, substitute, log);
    result.buildArgs[base.arg] = substitute.tag;
    result.substitutions.push(`built FROM ${substitute.tag} (${substitute.description}) in place of ${base.image}, which is neither on this machine nor pullable`);
  }
  return result;
}

/** Substitutes being made, by tag: recipes built side by side wait for one making, not each their own. */
const making = new Map<string, Promise<void>>();

function ensureSubstitute(docker: Docker, substitute: BaseSubstitute, log: Logger): Promise<void> {
  const pending = making.get(substitute.tag);
  if (pending) return pending;
  const made = makeUnlessPresent(docker, substitute, log).finally(() => making.delete(substitute.tag));
  making.set(substitute.tag, made);
  return made;
}

async function makeUnlessPresent(docker: Docker, substitute: BaseSubstitute, log: Logger): Promise<void> {
  if (await isPresent(docker, substitute.tag)) return;
  const started = performance.now();
  log.info(`Making ${substitute.tag}: ${substitute.description} (once; later builds reuse it)`);
  await substitute.make(docker, log);
  log.info(`Made ${substitute.tag} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

async function isPresent(docker: Docker, image: string): Promise<boolean> {
  try {
    await docker.getImage(image).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** Why an image could not be pulled, by image: asked of the registry once per run, not once per recipe. */
const pullFailures = new Map<string, string>();

/** Pulls `image`; returns why it could not, or undefined when it was pulled. */
async function pull(docker: Docker, image: string, log: Logger): Promise<string | undefined> {
  const known = pullFailures.get(image);
  if (known !== undefined) return known;
  log.info(`Pulling the base image ${image}`);
  try {
    const stream = await docker.pull(image);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null, events: Array<{ error?: string }>) => {
        const failed = error?.message ?? events?.find((e) => e.error)?.error;
        if (failed) reject(new Error(failed));
        else resolve();
      });
    });
    return undefined;
  } catch (error) {
    const why = firstLine((error as Error).message);
    pullFailures.set(image, why);
    return why;
  }
}

function firstLine(text: string): string {
  return text.replace(/^\(HTTP code \d+\) [^-]+- /, "").split("\n")[0]!.trim();
}
