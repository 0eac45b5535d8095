// Image size: the bytes of everything the guest boots from.
import { stat } from "node:fs/promises";
import type { BootArtifacts } from "../targets/types.js";

export interface ImageFile {
  role: "kernel" | "initrd" | "disk";
  path: string;
  bytes: number;
}

export interface ImageSize {
  sizeBytes: number;
  files: ImageFile[];
}

export async function measureImageSize(artifacts: BootArtifacts): Promise<ImageSize> {
  const roles: Array<[ImageFile["role"], string | undefined]> = [
    ["kernel", artifacts.kernelPath],
    ["initrd", artifacts.initrdPath],
    ["disk", artifacts.diskPath],
  ];
  const files: ImageFile[] = [];
  for (const [role, file] of roles) {
    if (file) files.push({ role, path: file, bytes: (await stat(file)).size });
  }
  return { sizeBytes: files.reduce((sum, f) => sum + f.bytes, 0), files };
}
