// Static checks of the OSv and Unikraft recipes, which the Docker tests also
// build for real: each Dockerfile parses, opens with a comment on what it
// builds, with which versions, names every base image through an ARG whose
// default pins it (so that the tool can pass a substitute), downloads nothing
// itself (its upstream sources are declared in the unikernel's sources.json,
// pinned, and fetched by the tool), builds the chosen workload, and COPYs a
// manifest that the tool's schema accepts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DockerfileParser } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import { externalBases } from "../../src/performance/targets/docker/base-image.js";
import { MANIFEST_PATH, parseManifest } from "../../src/performance/targets/docker/manifest.js";
import { UNIKERNELS_DIR } from "../../src/performance/targets/docker/paths.js";
import { isGitSource, readSourceList, SOURCES_FILE } from "../../src/performance/targets/sources/source-list.js";
import { createCatalog } from "../../src/performance/catalog.js";
import { resolvePlan } from "../../src/performance/plan.js";
import { DockerTargetBuilder } from "../../src/performance/targets/docker/docker-target.js";
import { namesGuestNetwork } from "../../src/vocabulary/guest-network.js";
import { silentLogger } from "../../src/log/logger.js";

/** A release tag (v0.57.0, RELEASE-0.17.0, 1.2.3, acpica's R09_30_21). */
const RELEASE_TAG = /^(?:v?\d+(?:\.\d+){1,3}|RELEASE-\d+(?:\.\d+){1,3}|R\d\d_\d\d_\d\d)$/;

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

/** What a shell command fetches from the network itself, which a recipe must not. */
function networkFetches(command: string): string[] {
  return [...command.matchAll(/\b(?:git (?:clone|fetch|submodule update)|curl|wget)\b[^&;|\n]*/g)].map((m) => m[0].trim());
}

describe("recipes (static checks)", () => {
  const files = recipes();

  it("finds the recipes: osv and unikraft for qemu and firecracker, nanos for qemu, qemu-microvm and firecracker", () => {
    expect(files.sort()).toEqual([
      "nanos/firecracker/nanos.Dockerfile",
      "nanos/qemu-microvm/nanos.Dockerfile",
      "nanos/qemu/nanos.Dockerfile",
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

    it("names every base image through an ARG whose default pins it to a version tag or digest", () => {
      const bases = externalBases(text);
      expect(bases.length).toBeGreaterThan(0);
      for (const base of bases) {
        expect(base.arg, `FROM ${base.image} directly: a substitute could not be passed`).toBeDefined();
        const [, tag] = base.image.split(":");
        expect(base.image.includes("@sha256:") || (tag !== undefined && tag !== "latest" && /\d/.test(tag)), base.image).toBe(true);
      }
    });

    it("downloads nothing itself: its sources are the pinned ones the tool fetched into sources/", async () => {
      const commands = dockerfile
        .getInstructions()
        .filter((i) => i.getKeyword() === "RUN")
        .map((i) => i.getArgumentsContent() ?? "");
      const shared = path.dirname(path.dirname(path.join(UNIKERNELS_DIR, file)));
      const scripts = readdirSync(shared)
        .filter((name) => name.endsWith(".sh"))
        .map((name) => readFileSync(path.join(shared, name), "utf8"));
      expect([...commands, ...scripts].flatMap(networkFetches)).toEqual([]);
      const adds = dockerfile.getInstructions().filter((i) => i.getKeyword() === "ADD" || i.getKeyword() === "COPY");
      expect(adds.map((i) => i.getArgumentsContent()).filter((a) => /https?:\/\//.test(a ?? ""))).toEqual([]);
      // Every sources/<name> it takes is declared, and so fetched and verified by the tool.
      const declared = (await readSourceList(path.join(shared, SOURCES_FILE))).map((s) => (isGitSource(s) ? `sources/${s.name}.tar` : `sources/${s.name}`));
      const used = adds.flatMap((i) => (i.getArgumentsContent() ?? "").split(/\s+/).filter((a) => a.startsWith("sources/")));
      expect(used.length).toBeGreaterThan(0);
      expect(used.filter((u) => !declared.includes(u))).toEqual([]);
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

    // Firecracker's network is a tap per VM, whose address only the backend knows at launch: the guest must take it from its command line.
    if (path.basename(path.dirname(file)) === "firecracker") {
      it("builds the http workload with the tap's address named on the guest's command line, or says why it does not", () => {
        const manifest = parseManifest(readFileSync(path.join(UNIKERNELS_DIR, path.dirname(file), "manifest.json"), "utf8"), file);
        if (manifest.unsupportedWorkloads?.http) {
          expect(manifest.workloadBootArgs?.http).toBeUndefined();
          return;
        }
        expect(namesGuestNetwork(manifest.workloadBootArgs?.http ?? ""), `${file}: its http command line names no {{address}}`).toBe(true);
      });
    }
  });

  it.each(["osv", "unikraft", "nanos"])("%s: sources.json pins release tags to commits, submodules by path", async (name) => {
    const sources = await readSourceList(path.join(UNIKERNELS_DIR, name, SOURCES_FILE));
    for (const source of sources) {
      if (isGitSource(source) && source.tag) expect(source.tag).toMatch(RELEASE_TAG);
      if (!isGitSource(source)) expect(source.url).toMatch(/\d+\.\d+/);
    }
    expect(existsSync(path.join(UNIKERNELS_DIR, name, SOURCES_FILE))).toBe(true);
  });

  it("a recipe that says it does not build a workload is refused for it when named, before any build, with its reason", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "bt-recipes-"));
    try {
      const manifest = { kernel: "/benchmark/kernel", bootArgs: "", readyMarker: "BENCHMARK_TOOL_READY", exit: "reset" };
      for (const [vmm, extra] of [["qemu", {}], ["firecracker", { unsupportedWorkloads: { http: "no network stack in this build" } }]] as const) {
        mkdirSync(path.join(root, "demo", vmm), { recursive: true });
        writeFileSync(path.join(root, "demo", vmm, "manifest.json"), JSON.stringify({ ...manifest, ...extra }));
        writeFileSync(path.join(root, "demo", vmm, "demo.Dockerfile"), "FROM scratch\n");
      }
      const demo = new DockerTargetBuilder("demo", { recipesRoot: root });
      expect(demo.unsupportedWorkloadOn("firecracker", "http")).toBe("no network stack in this build");
      expect(demo.unsupportedWorkloadOn("firecracker", "hello")).toBeUndefined();
      expect(demo.unsupportedWorkloadOn("qemu", "http")).toBeUndefined();
      const catalog = createCatalog();
      const withDemo = {
        ...catalog,
        registry: { ...catalog.registry, "demo/demo": { unikernelName: "demo", supportedVMMs: ["qemu", "firecracker"] } },
        builders: new Map([...catalog.builders, ["demo", demo]]),
      };
      expect(() => resolvePlan(["demo:firecracker"], undefined, "http", withDemo)).toThrow("demo:firecracker is not available for the 'http' workload: no network stack in this build");
      expect(resolvePlan(["demo"], undefined, "http", withDemo).leftOut).toEqual(["demo:firecracker is not available for the 'http' workload: no network stack in this build"]);
      // Asked to build it anyway, it refuses before anything is fetched or built.
      await expect(demo.build({ vmm: "firecracker", workload: "http", cacheDir: root, log: silentLogger })).rejects.toThrow(
        "demo on firecracker does not build the 'http' workload: no network stack in this build",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // Every recipe here builds http for Firecracker.
    for (const name of ["osv", "unikraft", "nanos"]) expect(new DockerTargetBuilder(name).unsupportedWorkloadOn("firecracker", "http")).toBeUndefined();
  });

  it("each unikernel's recipes begin, after FROM, with a step no other unikernel's recipe has", () => {
    // Docker's classic builder takes, for a step, the newest layer built for it on the same parent: a
    // first step shared with another unikernel's recipe (ENV DEBIAN_FRONTEND=..., say) that a
    // --clear-cache of that recipe rebuilt would make this recipe miss the cache from there on.
    const firstSteps = new Map<string, string>();
    for (const file of files) {
      const unikernel = file.split(path.sep)[0]!;
      const instructions = DockerfileParser.parse(readFileSync(path.join(UNIKERNELS_DIR, file), "utf8")).getInstructions();
      const from = instructions.findIndex((i) => i.getKeyword() === "FROM");
      const first = instructions[from + 1]!;
      const step = `${first.getKeyword()} ${first.getArgumentsContent() ?? ""}`;
      const owner = firstSteps.get(step);
      expect(owner === undefined || owner === unikernel, `${file} begins with the same step as ${owner}'s recipes: ${step}`).toBe(true);
      firstSteps.set(step, unikernel);
    }
  });

  it("osv: the Firecracker recipe repeats the QEMU recipe's steps up to the kernel word for word, so that one kernel build serves both", () => {
    // Docker's layer cache matches a step by its parent and its text: any difference, even in spacing, builds OSv's kernel twice.
    const stepsBeforeWorkload = (vmm: string) => {
      const steps = DockerfileParser.parse(readFileSync(path.join(UNIKERNELS_DIR, "osv", vmm, "osv.Dockerfile"), "utf8"))
        .getInstructions()
        .map((i) => `${i.getKeyword()} ${i.getArgumentsContent() ?? ""}`);
      return steps.slice(0, steps.findIndex((step) => step.startsWith("ARG WORKLOAD")));
    };
    const qemu = stepsBeforeWorkload("qemu");
    expect(qemu.at(-1)).toBe("RUN build-osv.sh kernel");
    expect(stepsBeforeWorkload("firecracker").slice(0, qemu.length)).toEqual(qemu);
  });

  it.each([
    ["unikraft", "qemu", "virtio-net-pci"],
    ["nanos", "qemu", "virtio-net-pci"],
    ["nanos", "qemu-microvm", "virtio-net-device"],
  ])("%s on %s: its network device (%s) has EVENT_IDX off, with which the guest stopped receiving under load now and then (docs/http.md)", (unikernel, vmm, device) => {
    const manifest = parseManifest(readFileSync(path.join(UNIKERNELS_DIR, unikernel, vmm, "manifest.json"), "utf8"), `${unikernel}/${vmm}`);
    expect(manifest.qemu?.globals?.[`${device}.event_idx`]).toBe("off");
  });

  it("lists every archive source, with where upstream publishes its checksum, in docs/unikernels.md", async () => {
    const docs = readFileSync(path.join(UNIKERNELS_DIR, "../docs/unikernels.md"), "utf8");
    const table = docs.slice(docs.indexOf("### Archive sources"));
    for (const name of readdirSync(UNIKERNELS_DIR).filter((n) => existsSync(path.join(UNIKERNELS_DIR, n, SOURCES_FILE)))) {
      for (const source of await readSourceList(path.join(UNIKERNELS_DIR, name, SOURCES_FILE))) {
        if (isGitSource(source)) continue;
        const row = table.split("\n").find((line) => line.startsWith("|") && line.includes(source.url));
        expect(row, `${name}/sources.json: ${source.url} is not in docs/unikernels.md's "Archive sources" table`).toBeDefined();
        expect(row, `${source.url}: the table names no page its SHA-256 is published on`).toMatch(/\| https?:\/\/\S+ \|?\s*$/);
      }
    }
  });

  it("flags what a recipe would fetch itself (the checker itself)", () => {
    expect(networkFetches("git clone https://github.com/unikraft/unikraft.git /uk")).toHaveLength(1);
    expect(networkFetches("cd /osv && git submodule update --init")).toHaveLength(1);
    expect(networkFetches("curl -LO https://example.org/x.tar.gz && make")).toHaveLength(1);
    expect(networkFetches("apt-get install -y git wget2-dev")).toEqual([]);
    expect(networkFetches("make -j2 && cp build/x /out")).toEqual([]);
  });

  it("nanos: the three recipes are the same up to their final stage, so that they share Docker's layers", () => {
    const buildStage = (vmm: string): string => {
      const text = readFileSync(path.join(UNIKERNELS_DIR, "nanos", vmm, "nanos.Dockerfile"), "utf8");
      return text.slice(text.indexOf("\nARG DEBIAN_IMAGE="), text.indexOf("\nFROM scratch"));
    };
    expect(buildStage("qemu")).toMatch(/RUN build-kernel\.sh\nARG WORKLOAD=hello\n/);
    expect(buildStage("qemu-microvm")).toBe(buildStage("qemu"));
    expect(buildStage("firecracker")).toBe(buildStage("qemu"));
  });
});
