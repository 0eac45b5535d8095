// A guest's port forwarded from the host's loopback through QEMU's user
// network, on a port chosen free, and moved to another one when QEMU finds it
// taken at start. Real QEMU (pc and microvm, TCG) booting the null guest.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log/logger.js";
import { nullGuest } from "../../src/performance/targets/local/null-guest.js";
import { freeLoopbackPort, launchWithFreeHostPort } from "../../src/performance/vmm/port-forward.js";
import { QemuBackend } from "../../src/performance/vmm/qemu/qemu-backend.js";
import type { VmInstance } from "../../src/performance/vmm/types.js";
import { processesMentioning } from "../helpers/leftovers.js";
import { TEST_CACHE_DIR } from "../paths.js";

/** A listener on a port of the loopback, as another program holding it would be. */
async function holdPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("port forwarding through QEMU's user network", () => {
  let workDir: string | undefined;
  const instances: VmInstance[] = [];

  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.stop();
    if (!workDir) return;
    expect(await processesMentioning(workDir)).toEqual([]);
    await rm(workDir, { recursive: true, force: true });
    workDir = undefined;
  });

  const config = async (machine: "pc" | "microvm") => {
    workDir = await mkdtemp(path.join(os.tmpdir(), "bt-port-forward-"));
    const backend = new QemuBackend(machine === "pc" ? "qemu" : "qemu-microvm", machine);
    // The null guest ends the machine the way each one notices (ACPI on pc, the GED on microvm).
    const artifacts = await nullGuest.build({ vmm: backend.name, workload: "hello", cacheDir: TEST_CACHE_DIR, log: silentLogger });
    const launch = {
      artifacts,
      bootArgs: artifacts.bootArgs,
      memoryMiB: 64,
      vcpus: 1,
      accel: "tcg" as const,
      workDir,
      log: silentLogger,
      signal: new AbortController().signal,
    };
    return { backend, launch };
  };

  it("hands out free ports, never the same one twice in a row", async () => {
    const first = await freeLoopbackPort();
    const second = await freeLoopbackPort();
    expect(first).not.toBe(second);
    const held = net.createServer();
    await new Promise<void>((resolve) => held.listen(first, "127.0.0.1", resolve));
    await new Promise((resolve) => held.close(resolve));
  });

  for (const machine of ["pc", "microvm"] as const) {
    it(`forwards the chosen host port to the guest's, with a virtio NIC on ${machine}, and moves on from a port that is taken`, async () => {
      const { backend, launch } = await config(machine);
      const taken = await holdPort();
      try {
        const offered = [taken.port];
        const { instance, network } = await launchWithFreeHostPort(backend, launch, 8080, {
          choosePort: async () => offered.shift() ?? freeLoopbackPort(),
        });
        instances.push(instance);
        expect(network.hostPort).not.toBe(taken.port);
        expect(network.guestPort).toBe(8080);
        const args = instance.commandLine;
        expect(args[args.indexOf("-netdev") + 1]).toBe(`user,id=n0,hostfwd=tcp:127.0.0.1:${network.hostPort}-:8080`);
        expect(args).toContain(machine === "pc" ? "virtio-net-pci,netdev=n0" : "virtio-net-device,netdev=n0");
        // QEMU holds the forward's host side: connecting works (slirp accepts even though the guest is paused).
        await new Promise<void>((resolve, reject) => {
          const socket = net.connect(network.hostPort, "127.0.0.1", () => {
            socket.destroy();
            resolve();
          });
          socket.on("error", reject);
        });
        // The guest boots with its NIC and powers off as it does without one.
        await instance.start();
        expect((await instance.guestEnded).reason).toMatch(/^guest-/);
      } finally {
        await taken.release();
      }
    });
  }

  it("gives up after the attempts it was given, naming every port it found taken, and leaves no QEMU behind", async () => {
    const { backend, launch } = await config("pc");
    const taken = [await holdPort(), await holdPort()];
    try {
      const offered = taken.map((t) => t.port);
      const error = await launchWithFreeHostPort(backend, launch, 8080, { attempts: 2, choosePort: async () => offered.shift()! }).catch((e: Error) => e);
      expect((error as Error).message).toMatch(
        new RegExp(`^qemu found every host port it was given taken \\(${taken[0]!.port}, ${taken[1]!.port}\\): QEMU could not forward 127\\.0\\.0\\.1:${taken[1]!.port} to the guest`),
      );
      expect(await readdir(workDir!)).toEqual([]);
    } finally {
      for (const t of taken) await t.release();
    }
  });
});
