// Builds one recipe's image through the Docker Engine API (the classic
// builder's JSON progress stream), keeping the log's tail for errors and
// showing which step it is at (build-progress.ts).
import type Docker from "dockerode";
import type { Readable } from "node:stream";
import type { Logger } from "../../../log/logger.js";
import { BuildProgress } from "./build-progress.js";

/** Lines of the build log shown when a build fails. */
export const FAILED_BUILD_LOG_LINES = 30;

export interface ImageBuildRequest {
  context: Readable;
  /** The Dockerfile's path inside the context. */
  dockerfile: string;
  tag: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /** No layer cache (--clear-cache). */
  noCache?: boolean;
  /** What the progress lines call this build, e.g. "osv for qemu". */
  description: string;
  log: Logger;
  signal?: AbortSignal;
}

export interface ImageBuildResult {
  imageId: string;
  /** Dockerfile steps, and how many of them came from the layer cache. */
  steps: number;
  cachedSteps: number;
  durationMs: number;
}

export class ImageBuildError extends Error {
  override readonly name = "ImageBuildError";
  constructor(
    message: string,
    readonly logTail: readonly string[],
  ) {
    super(logTail.length ? `${message}\nLast ${logTail.length} line(s) of the build log:\n${logTail.join("\n")}` : message);
  }
}

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/** The last lines of a log, kept as it streams by. */
export class LogTail {
  private lines: string[] = [];
  constructor(private readonly limit: number) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
  }

  get(): string[] {
    return [...this.lines];
  }
}

export async function buildImage(docker: Docker, request: ImageBuildRequest): Promise<ImageBuildResult> {
  const { log } = request;
  const startedAt = performance.now();
  log.info(`Building ${request.description} (image ${request.tag})${request.noCache ? " without the layer cache" : ""}`);
  const tail = new LogTail(FAILED_BUILD_LOG_LINES);
  let steps = 0;
  let cachedSteps = 0;
  let imageId: string | undefined;
  let failure: string | undefined;
  const progress = new BuildProgress(request.tag, log);

  const onEvent = (event: BuildEvent): void => {
    if (event.aux?.ID) imageId = event.aux.ID;
    const text = event.error ?? event.errorDetail?.message ?? event.stream ?? event.status;
    if (event.error || event.errorDetail) failure = event.error ?? event.errorDetail?.message;
    if (!text) return;
    for (const line of text.replace(/\r/g, "").split("\n")) {
      if (!line.trim()) continue;
      if (/^Step \d+\/\d+ : /.test(line)) steps++;
      if (line.trim() === "---> Using cache") cachedSteps++;
      tail.push(line);
      log.debug(`[${request.tag}] ${line}`);
      progress.line(line);
    }
  };

  try {
    const stream = await docker.buildImage(request.context as unknown as NodeJS.ReadableStream, {
      t: request.tag,
      dockerfile: request.dockerfile,
      buildargs: request.buildArgs ?? {},
      labels: request.labels ?? {},
      // Intermediate containers go, even when a step fails: nothing is left behind.
      rm: true,
      forcerm: true,
      ...(request.noCache ? { nocache: true } : {}),
      ...(request.signal ? { abortSignal: request.signal } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()), onEvent);
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new ImageBuildError(`Building ${request.description} failed: ${(error as Error).message}`, tail.get());
  } finally {
    progress.stop();
  }
  if (failure) throw new ImageBuildError(`Building ${request.description} failed: ${failure}`, tail.get());
  if (!imageId) throw new ImageBuildError(`Building ${request.description} ended without an image ID`, tail.get());

  const durationMs = performance.now() - startedAt;
  log.info(`Built ${request.tag} (${imageId.slice(0, 19)}) in ${(durationMs / 1000).toFixed(1)} s, ${cachedSteps} of ${steps} step(s) from the layer cache`);
  return { imageId, steps, cachedSteps, durationMs };
}
