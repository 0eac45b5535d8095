// The OSv and Unikraft recipes need the internet to build, which the suite
// does not have: check them statically. Each Dockerfile parses, opens with a
// comment on what it builds, pins every base image to a version tag or digest
// and every upstream source to a release tag or commit, builds the chosen
// workload, and COPYs a manifest that the tool's schema accepts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import { MANIFEST_PATH, parseManifest } from "../../src/performance/targets/docker/manifest.js";
import { UNIKERNELS_DIR } from "../../src/performance/targets/docker/paths.js";

/** A release tag (v0.57.0, RELEASE-0.17.0, 1.2.3) or a full commit hash. */
const PINNED_REF = /^(?:v?\d+(?:\.\d+){1,3}|RELEASE-\d+(?:\.\d+){1,3}|[0-9a-f]{40})$/;
const MOVING_REFS = /\b(?:latest|master|main|HEAD|develop|staging|nightly)\b/;

function recipes(): string[] {
  const found: string[] = [];
  for (const name of readdirSync(UNIKERNELS_DIR)) {
    const dir = path.join(UNIKERNELS_DIR, name);
    if (!statSync(dir).isDirectory()) continue;
    for (const vmm of readdirSync(dir)) {
      if (statSync(path.join(dir, vmm)).isDirectory()) found.push(path.join(name, vmm, `${name}.Dockerfile`));
    }
  }
  return found;
}

/** Replaces $NAME and ${NAME} with the ARG defaults. */
function substitute(text: string, args: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => args.get(braced ?? bare ?? "") ?? whole);
}

/** Problems with the upstream sources fetched by a shell command (RUN lines, shared scripts). */
function unpinnedSources(command: string): string[] {
  const problems: string[] = [];
  for (const clone of command.matchAll(/git clone\b([^&;|\n]*)/g)) {
    const args = clone[1]!;
    const branch = /(?:--branch|-b)[ =](\S+)/.exec(args)?.[1];
    const checkout = /git (?:-C \S+ )?checkout (\S+)/.exec(command)?.[1];
    const ref = branch ?? checkout;
    if (!ref || !PINNED_REF.test(ref)) problems.push(`git clone${args} is not pinned to a release tag or commit (ref: ${ref ?? "none"})`);
  }
  for (const download of command.matchAll(/\b(?:curl|wget)\b[^&;|\n]*?(https?:\/\/\S+)/g)) {
    const url = download[1]!;
    if (MOVING_REFS.test(url) || !/\d+\.\d+|[0-9a-f]{40}/.test(url)) problems.push(`download ${url} is not pinned to a version`);
  }
  return problems;
}

describe("recipes (static checks)", () => {
  const files = recipes();

  it("finds the osv and unikraft recipes for qemu and firecracker", () => {
    expect(files.sort()).toEqual([
      "osv/firecracker/osv.Dockerfile",
      "osv/qemu/osv.Dockerfile",
      "unikraft/firecracker/unikraft.Dockerfile",
      "unikraft/qemu/unikraft.Dockerfile",
    ]);
  });

  describe.each(files)("%s", (file) => {
    const text = readFileSync(path.join(UNIKERNELS_DIR, file), "utf8");
    const dockerfile = DockerfileParser.parse(text);
    const args = new Map(dockerfile.getARGs().flatMap((a) => (a.getProperty()?.getValue() ? [[a.getProperty()!.getName(), a.getProperty()!.getValue()!] as const] : [])));
    const stages = new Set(dockerfile.getFROMs().flatMap((f) => (f.getBuildStage() ? [f.getBuildStage()!] : [])));

    it("parses and opens with a comment saying what it builds, with which versions", () => {
      expect(dockerfile.getInstructions().length).toBeGreaterThan(0);
      expect(text.split("\n")[0]).toMatch(/^# \S+ for \S+: .*\d+\.\d+/);
    });

    it("pins every base image to a version tag or a digest", () => {
      for (const from of dockerfile.getFROMs()) {
        const image = from.getImageName();
        if (image === "scratch" || (image && stages.has(image))) continue;
        const tag = from.getImageTag();
        const pinned = Boolean(from.getImageDigest()) || (tag !== null && tag !== "latest" && /\d/.test(tag));
        expect(pinned, `FROM ${from.getArgumentsContent()}`).toBe(true);
      }
    });

    it("pins every upstream source to a release tag or a commit", () => {
      const commands = dockerfile
        .getInstructions()
        .filter((i) => i.getKeyword() === "RUN" || i.getKeyword() === "ADD")
        .map((i) => substitute(i.getArgumentsContent() ?? "", args));
      const shared = path.dirname(path.dirname(path.join(UNIKERNELS_DIR, file)));
      const scripts = readdirSync(shared)
        .filter((name) => name.endsWith(".sh"))
        .map((name) => substitute(readFileSync(path.join(shared, name), "utf8"), args));
      expect([...commands, ...scripts].flatMap(unpinnedSources)).toEqual([]);
      for (const add of dockerfile.getInstructions().filter((i) => i.getKeyword() === "ADD")) {
        expect(add.getArgumentsContent(), "ADD of a URL without a version").not.toMatch(MOVING_REFS);
      }
      expect(commands.join("\n")).toMatch(/git clone/);
    });

    it("builds the workload chosen by the WORKLOAD build argument", () => {
      expect(args.get("WORKLOAD")).toBe("hello");
      expect(text).toMatch(/workloads\/\$\{WORKLOAD\}\.c|"\$\{WORKLOAD\}"/);
      expect(text).toMatch(/COPY workloads\/ /);
    });

    it(`COPYs its manifest to ${MANIFEST_PATH}, and the schema accepts it`, () => {
      const copies = dockerfile.getInstructions().filter((i) => i.getKeyword() === "COPY").map((i) => i.getArgumentsContent());
      expect(copies).toContain(`manifest.json ${MANIFEST_PATH}`);
      const manifestText = readFileSync(path.join(UNIKERNELS_DIR, path.dirname(file), "manifest.json"), "utf8");
      const manifest = parseManifest(manifestText, file);
      expect(manifest.readyMarker).toBe("BENCHMARK_TOOL_READY");
      // Every file the manifest names is copied into the final image.
      for (const imagePath of [manifest.kernel, manifest.initrd, manifest.disk].filter(Boolean)) {
        expect(copies.some((c) => c?.endsWith(` ${imagePath}`)), `${imagePath} is never copied into the image`).toBe(true);
      }
    });
  });

  it("flags unpinned sources (the checker itself)", () => {
    expect(unpinnedSources("git clone https://github.com/unikraft/unikraft.git /uk")).toHaveLength(1);
    expect(unpinnedSources("git clone --branch master https://x/y.git")).toHaveLength(1);
    expect(unpinnedSources("git clone --branch v0.57.0 https://x/y.git")).toEqual([]);
    expect(unpinnedSources(`git clone https://x/y.git && git -C y checkout ${"a".repeat(40)}`)).toEqual([]);
    expect(unpinnedSources("curl -LO https://example.org/releases/latest/download/tool")).toHaveLength(1);
    expect(unpinnedSources("wget https://musl.libc.org/releases/musl-1.2.3.tar.gz")).toEqual([]);
  });
});
