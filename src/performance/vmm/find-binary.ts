// Locates an executable on PATH, as the shell would.
import { access, constants } from "node:fs/promises";
import path from "node:path";

export async function findOnPath(name: string, searchPath = process.env.PATH ?? ""): Promise<string | undefined> {
  if (name.includes("/")) return (await isExecutable(name)) ? path.resolve(name) : undefined;
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
