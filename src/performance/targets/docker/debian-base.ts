// A Debian base image made on the host from Debian's own packages with
// debootstrap, for machines that reach Debian's mirror but no container
// registry. Named as what it is (benchmark-tool/debian-debootstrap:<release>),
// never under the upstream image's name: it holds the release's current
// packages, not those of the upstream image's snapshot.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import type { Logger } from "../../../log/logger.js";
import { runCommand } from "../local/run-command.js";

export const DEBIAN_MIRROR_ENV = "BENCHMARK_TOOL_DEBIAN_MIRROR";
const DEFAULT_DEBIAN_MIRROR = "http://deb.debian.org/debian";
/** Set on the images the tool makes this way: the upstream image each stands in for. */
export const SUBSTITUTE_LABEL = "benchmark-tool.substitute-for";

/** Debian's major versions by release name, as upstream debian:<tag> images are tagged. */
const RELEASES: Record<string, string> = { "10": "buster", "11": "bullseye", "12": "bookworm", "13": "trixie" };

export interface BaseSubstitute {
  tag: string;
  description: string;
  make(docker: Docker, log: Logger): Promise<void>;
}

/** The Debian release an upstream debian:<tag> image is (debian:12.5, debian:bookworm-20240311, debian:12-slim). */
export function debianRelease(image: string): string | undefined {
  const match = /^(?:docker\.io\/)?(?:library\/)?debian:([a-z]+|\d+)(?:[.-].*)?$/.exec(image);
  if (!match) return undefined;
  const name = match[1]!;
  return RELEASES[name] ?? (Object.values(RELEASES).includes(name) ? name : undefined);
}

export function debianSubstitute(image: string, env: NodeJS.ProcessEnv = process.env): BaseSubstitute | undefined {
  const release = debianRelease(image);
  if (!release) return undefined;
  const mirror = env[DEBIAN_MIRROR_ENV] || DEFAULT_DEBIAN_MIRROR;
  const tag = `benchmark-tool/debian-debootstrap:${release}`;
  return {
    tag,
    description: `Debian ${release} made with debootstrap from ${mirror}`,
    make: (docker, log) => makeDebianImage(docker, { release, mirror, tag, standsFor: image }, log),
  };
}

interface DebianImageSpec {
  release: string;
  mirror: string;
  tag: string;
  standsFor: string;
}

async function makeDebianImage(docker: Docker, spec: DebianImageSpec, log: Logger): Promise<void> {
  // debootstrap creates device nodes and root-owned files: it runs as root, through sudo when the tool does not.
  const asRoot = (command: string, args: string[]): [string, string[]] => (process.getuid?.() === 0 ? [command, args] : ["sudo", ["-n", command, ...args]]);
  const root = mkdtempSync(path.join(os.tmpdir(), "benchmark-tool-debootstrap-"));
  try {
    try {
      await runCommand(...asRoot("debootstrap", ["--variant=minbase", spec.release, root, spec.mirror]));
    } catch (error) {
      throw new Error(
        `making ${spec.tag} with debootstrap failed: ${(error as Error).message}\n` +
          "debootstrap must be installed (sudo apt-get install debootstrap; scripts/setup.sh --docker does it) and run as root " +
          `(the tool uses sudo -n when it is not root), and ${spec.mirror} must be reachable (or set ${DEBIAN_MIRROR_ENV} to a Debian mirror)`,
        { cause: error },
      );
    }
    log.debug(`debootstrap of ${spec.release} done in ${root}; importing it as ${spec.tag}`);
    await importDirectory(docker, root, spec, asRoot("tar", ["--numeric-owner", "-C", root, "-c", "."]));
  } finally {
    await runCommand(...asRoot("rm", ["-rf", "--one-file-system", root])).catch(() => undefined);
  }
}

/** Streams `tar` of the root file system into Docker's image import. */
async function importDirectory(docker: Docker, root: string, spec: DebianImageSpec, tarCommand: readonly [string, readonly string[]]): Promise<void> {
  const tar = spawn(tarCommand[0], [...tarCommand[1]], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  tar.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const tarExit = new Promise<number | null>((resolve) => tar.once("close", resolve));
  const [repo, tag] = spec.tag.split(":") as [string, string];
  const changes = ['CMD ["bash"]', `LABEL ${SUBSTITUTE_LABEL}=${spec.standsFor}`];
  try {
    const stream = await docker.importImage(tar.stdout, { repo, tag, changes } as unknown as object);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, events: Array<{ error?: string }>) => {
        const failed = error?.message ?? events?.find((e) => e.error)?.error;
        if (failed) reject(new Error(`importing ${root} as ${spec.tag} failed: ${failed}`));
        else resolve();
      }),
    );
  } catch (error) {
    tar.kill();
    throw error;
  }
  const code = await tarExit;
  if (code !== 0) throw new Error(`tar of ${root} failed (exit code ${code}): ${stderr.trim()}`);
}
