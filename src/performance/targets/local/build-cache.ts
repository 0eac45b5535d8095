// The cache of locally built artifacts: content-addressed paths, written atomically.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (where guests/ lives), the same from src/ (tests) and from dist/ (built). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const GUESTS_DIR = path.join(PROJECT_ROOT, "guests");

/** A short hex digest of everything that determines an artifact. */
export function hashInputs(inputs: ReadonlyArray<string | Buffer>): string {
  const hash = createHash("sha256");
  for (const input of inputs) {
    const bytes = typeof input === "string" ? Buffer.from(input) : input;
    // Length-prefixed so that ["ab", "c"] and ["a", "bc"] differ.
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest("hex").slice(0, 16);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns `artifactPath`, producing it first when absent. `produce` writes to the
 * temporary path it is given, in the same directory, which is then renamed into
 * place: concurrent builds of one artifact each finish with a whole file.
 */
export async function buildOnce(artifactPath: string, produce: (temporaryPath: string) => Promise<void>): Promise<{ path: string; built: boolean }> {
  if (await exists(artifactPath)) return { path: artifactPath, built: false };
  await mkdir(path.dirname(artifactPath), { recursive: true });
  const temporaryPath = `${artifactPath}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await produce(temporaryPath);
    await rename(temporaryPath, artifactPath);
  } finally {
    await rm(temporaryPath, { force: true, recursive: true });
  }
  return { path: artifactPath, built: true };
}
