// Copies a built image's boot files out of it: a container is created (never
// started), each file read through the archive endpoint, the container removed.
// Extractions land in <cacheDir>/docker/<imageId>/, written to a temporary
// directory renamed into place, so that concurrent runs never see half of one.
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import tar from "tar-stream";
import { MANIFEST_PATH, manifestArtifacts, parseManifest, type BootManifest } from "./manifest.js";

/** Set on extraction containers, so that tests (and users) can find any left behind. */
export const EXTRACT_LABEL = "benchmark-tool.extract";
const MANIFEST_FILE = "manifest.json";

export interface ExtractedImage {
  manifest: BootManifest;
  /** Host paths of the extracted files, by role. */
  files: { kernel?: string; initrd?: string; disk?: string; vmmBinary?: string };
  /** Whether this call extracted them (false: they were in the cache). */
  extracted: boolean;
}

export async function extractArtifacts(docker: Docker, imageId: string, cacheDir: string, recipe: string): Promise<ExtractedImage> {
  const finalDir = path.join(cacheDir, "docker", imageId.replace(/^sha256:/, ""));
  if (await isDirectory(finalDir)) {
    const manifest = parseManifest(await readFile(path.join(finalDir, MANIFEST_FILE), "utf8"), recipe);
    return { manifest, files: hostFiles(manifest, finalDir), extracted: false };
  }

  await mkdir(path.dirname(finalDir), { recursive: true });
  const temporaryDir = `${finalDir}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await mkdir(temporaryDir);
  let container: Docker.Container | undefined;
  try {
    container = await docker.createContainer({
      Image: imageId,
      // Never started: a command is only needed because FROM-scratch images have none.
      Cmd: ["/benchmark-tool-extract"],
      Labels: { [EXTRACT_LABEL]: "1" },
      NetworkDisabled: true,
    });
    const manifestPath = path.join(temporaryDir, MANIFEST_FILE);
    await copyFileOut(container, MANIFEST_PATH, manifestPath, `${recipe}: the manifest ${MANIFEST_PATH}`);
    const manifest = parseManifest(await readFile(manifestPath, "utf8"), recipe);
    const files = hostFiles(manifest, temporaryDir);
    for (const { role, imagePath } of manifestArtifacts(manifest)) {
      await copyFileOut(container, imagePath, files[role]!, `${recipe}: the manifest's ${role} ${imagePath}`, role === "vmmBinary" ? 0o755 : 0o644);
    }
    try {
      await rename(temporaryDir, finalDir);
    } catch (error) {
      // Another run finished the same extraction first: use theirs.
      if (!(await isDirectory(finalDir))) throw error;
    }
    return { manifest, files: hostFiles(manifest, finalDir), extracted: true };
  } finally {
    await rm(temporaryDir, { recursive: true, force: true });
    await container?.remove({ force: true, v: true });
  }
}

function hostFiles(manifest: BootManifest, dir: string): ExtractedImage["files"] {
  const files: ExtractedImage["files"] = {};
  for (const { role } of manifestArtifacts(manifest)) files[role] = path.join(dir, role);
  return files;
}

/** Copies one regular file out of the container to `hostPath`; `what` names it in errors. */
async function copyFileOut(container: Docker.Container, imagePath: string, hostPath: string, what: string, mode = 0o644): Promise<void> {
  let archive: NodeJS.ReadableStream;
  try {
    archive = await container.getArchive({ path: imagePath });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) throw new Error(`${what} is not in the image`);
    throw new Error(`${what}: could not copy it out of the image (${(error as Error).message})`);
  }
  const extract = tar.extract();
  let found = false;
  extract.on("entry", (header, stream, next) => {
    if (found || header.type !== "file") {
      if (!found) extract.destroy(new Error(`${what} is a ${header.type} in the image, not a regular file (copy the file itself, not a link)`));
      stream.resume();
      stream.on("end", next);
      return;
    }
    found = true;
    pipeline(stream, createWriteStream(hostPath, { mode })).then(() => next(), (error: Error) => extract.destroy(error));
  });
  await pipeline(archive, extract);
  if (!found) throw new Error(`${what}: the image's archive held no file`);
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
