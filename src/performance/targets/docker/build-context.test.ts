import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import tar from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listContextFiles, packBuildContext } from "./build-context.js";

async function entriesOf(stream: Readable): Promise<Array<{ name: string; mtime: number; body: string }>> {
  const extract = tar.extract();
  const entries: Array<{ name: string; mtime: number; body: string }> = [];
  extract.on("entry", (header, body, next) => {
    let text = "";
    body.on("data", (chunk: unknown) => (text += String(chunk)));
    body.on("end", () => {
      entries.push({ name: header.name, mtime: header.mtime?.getTime() ?? -1, body: text });
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => extract.on("finish", () => resolve()).on("error", reject));
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  return entries;
}

describe("build context", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "bt-context-"));
    await mkdir(path.join(dir, "osv/qemu/sub"), { recursive: true });
    await mkdir(path.join(dir, "workloads"));
    await writeFile(path.join(dir, "osv/qemu/osv.Dockerfile"), "FROM scratch\n");
    await writeFile(path.join(dir, "osv/qemu/sub/file"), "nested");
    await writeFile(path.join(dir, "osv/build.sh"), "shared");
    await writeFile(path.join(dir, "workloads/hello.c"), "int main(void){}");
    await writeFile(path.join(dir, "guest.elf"), "ELF");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("holds the recipe folder at the root, shared files under common/, workloads/ and extra files", async () => {
    const entries = await entriesOf(
      await packBuildContext({
        recipeDir: path.join(dir, "osv/qemu"),
        sharedDir: path.join(dir, "osv"),
        workloadsDir: path.join(dir, "workloads"),
        extraFiles: [{ name: "null.elf", sourcePath: path.join(dir, "guest.elf") }],
      }),
    );
    expect(entries.map((e) => [e.name, e.body])).toEqual([
      ["osv.Dockerfile", "FROM scratch\n"],
      ["sub/file", "nested"],
      // The VMM folders (qemu/) are not shared files.
      ["common/build.sh", "shared"],
      ["workloads/hello.c", "int main(void){}"],
      ["null.elf", "ELF"],
    ]);
    // Fixed timestamps: the same files give the same context, whatever the checkout's mtimes.
    expect(new Set(entries.map((e) => e.mtime))).toEqual(new Set([0]));
  });

  it("refuses two files at one path", async () => {
    await expect(
      listContextFiles({
        recipeDir: path.join(dir, "osv/qemu"),
        workloadsDir: path.join(dir, "workloads"),
        extraFiles: [{ name: "osv.Dockerfile", sourcePath: path.join(dir, "guest.elf") }],
      }),
    ).rejects.toThrow(/two files would be osv\.Dockerfile/);
  });
});
