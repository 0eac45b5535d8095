// Parses what users type to name a target: <unikernel>[:<vmm>], or a GitHub
// repository (https://github.com/OWNER/NAME, github.com/OWNER/NAME, OWNER/NAME)
// from the registry, optionally followed by :<vmm>.

export interface TargetSpec {
  /** A unikernel name, or a repository "owner/name" when `isRepository`. */
  name: string;
  isRepository: boolean;
  vmm?: string;
}

const GITHUB_PREFIX = /^(?:https?:\/\/)?(?:www\.)?github\.com\//i;

export function parseTargetSpec(input: string): TargetSpec {
  let text = input.trim();
  const isLink = GITHUB_PREFIX.test(text);
  text = text.replace(GITHUB_PREFIX, "");
  let vmm: string | undefined;
  const colon = text.lastIndexOf(":");
  if (colon >= 0) {
    vmm = text.slice(colon + 1);
    text = text.slice(0, colon);
  }
  text = text.replace(/\/+$/, "").replace(/\.git$/, "");
  const isRepository = isLink || text.includes("/");
  const valid = isRepository ? /^[\w.-]+\/[\w.-]+$/.test(text) : /^[\w.-]+$/.test(text);
  if (!valid || (vmm !== undefined && !/^[\w.-]+$/.test(vmm))) {
    throw new Error(
      `'${input}' is not a target: use <unikernel>[:<vmm>] (e.g. null:qemu-microvm) or a GitHub repository from the registry (e.g. https://github.com/torvalds/linux)`,
    );
  }
  return { name: text, isRepository, ...(vmm ? { vmm } : {}) };
}
