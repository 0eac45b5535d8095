// scripts/setup.sh on a machine that has nothing yet: what it asks apt for.
// apt, dpkg and npm are stand-ins that record their calls, so the test sees
// exactly what a clean machine would be given without installing anything.
// (The whole quick start on a real clean Debian 12 is checked with
// ../shared/tools/fresh-machine.sh, see the README.)
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../paths.js";

const execFileAsync = promisify(execFile);

let bin: string;
let callsLog: string;

beforeAll(async () => {
  bin = await mkdtemp(path.join(os.tmpdir(), "setup-script-"));
  callsLog = path.join(bin, "calls.log");
  const record = (name: string, then: string): string => `#!/usr/bin/env bash\necho "${name} $*" >> "${callsLog}"\n${then}\n`;
  const stubs: Record<string, string> = {
    // Installed: only what FAKE_INSTALLED lists.
    "dpkg-query": record("dpkg-query", 'pkg="${@: -1}"; case " $FAKE_INSTALLED " in *" $pkg "*) echo -n "install ok installed";; *) exit 1;; esac'),
    "apt-get": record("apt-get", "exit 0"),
    npm: record("npm", "exit 0"),
    // No Docker engine answers (the recipes' tools are then not asked for).
    docker: record("docker", "exit 1"),
    sudo: record("sudo", 'exec "$@"'),
  };
  for (const [name, script] of Object.entries(stubs)) {
    await writeFile(path.join(bin, name), script);
    await chmod(path.join(bin, name), 0o755);
  }
});

afterAll(async () => {
  await rm(bin, { recursive: true, force: true });
});

async function runSetup(installed: string[]): Promise<string[]> {
  await writeFile(callsLog, "");
  await execFileAsync("bash", [path.join(PROJECT_ROOT, "scripts/setup.sh")], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_INSTALLED: installed.join(" ") },
  });
  return (await readFile(callsLog, "utf8")).split("\n").filter(Boolean);
}

describe("scripts/setup.sh", () => {
  const everything = ["qemu-system-x86", "gcc", "libc6-dev", "busybox-static", "cpio", "wrk", "python3", "make", "g++"];

  it("installs what native npm packages need to build (python3, make, g++) beside QEMU, the guests' tools and the load generator (wrk)", async () => {
    const calls = await runSetup([]);
    const install = calls.find((c) => c.startsWith("apt-get") && c.includes(" install "));
    expect(install, calls.join("\n")).toBeDefined();
    const packages = install!.split(" ").filter((word) => !word.startsWith("-"));
    for (const name of everything) expect(packages).toContain(name);
    // npm ci (when needed) and the build come after the system packages.
    expect(calls.findIndex((c) => c.startsWith("npm run"))).toBeGreaterThan(calls.indexOf(install!));
  });

  it("asks apt for nothing when everything is there already", async () => {
    const calls = await runSetup(everything);
    expect(calls.filter((c) => c.startsWith("apt-get") && c.includes(" install "))).toEqual([]);
  });
});
