// The order in which kernel modules are loaded: each after the modules it
// depends on, as modprobe would order them, read from each module's own
// `depends=` (its .modinfo section), since busybox's insmod loads one file
// and resolves nothing.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

/** The modules a .ko file names in its `depends=` field. */
export function moduleDependencies(ko: Buffer): string[] {
  const field = ko.indexOf("\0depends=");
  if (field < 0) return [];
  const start = field + "\0depends=".length;
  const value = ko.toString("latin1", start, ko.indexOf(0, start));
  return value.split(",").filter(Boolean);
}

/**
 * The .ko files in `modulesDir` that `wanted` needs, each after those it depends
 * on. A module with no file there is taken as built into the kernel when
 * `builtIn` says so; otherwise it is an error.
 */
export async function modulesInLoadOrder(modulesDir: string, wanted: readonly string[], builtIn: (module: string) => boolean): Promise<string[]> {
  const files = new Set(await readdir(modulesDir));
  const ordered: string[] = [];
  const visiting: string[] = [];
  const visit = async (module: string, neededBy?: string): Promise<void> => {
    if (ordered.includes(module)) return;
    if (visiting.includes(module)) throw new Error(`the kernel modules depend on each other in a circle: ${[...visiting, module].join(" -> ")}`);
    if (!files.has(`${module}.ko`)) {
      if (builtIn(module)) return;
      throw new Error(`the kernel module ${module}${neededBy ? ` (needed by ${neededBy})` : ""} is not in ${modulesDir}`);
    }
    visiting.push(module);
    const file = path.join(modulesDir, `${module}.ko`);
    for (const dependency of moduleDependencies(await readFile(file))) await visit(dependency, module);
    visiting.pop();
    ordered.push(module);
  };
  for (const module of wanted) await visit(module);
  return ordered.map((module) => path.join(modulesDir, `${module}.ko`));
}
