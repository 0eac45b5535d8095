// A free port on the host's loopback for a guest's forwarded port, and a launch
// that moves to another port when the VMM finds the chosen one taken: the port
// is free when chosen, but another process may bind it before the VMM does.
import net from "node:net";
import { HostPortTakenError } from "./errors.js";
import type { LaunchConfig, PortForward, VmInstance, VmmBackend } from "./types.js";

/** Launches tried, each on another port, before giving up. */
export const HOST_PORT_ATTEMPTS = 5;

/**
 * Ports handed out by this process lately: the kernel may offer a port again
 * as soon as the probing socket is closed, before the VMM it was chosen for
 * has bound it, and several VMs may be launched at once (density).
 */
const recentlyChosen: number[] = [];
const RECENT_LIMIT = 1024;

/** A port on 127.0.0.1 that nothing listens on now, and that this process has not handed out lately. */
export async function freeLoopbackPort(): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = await kernelChosenPort();
    if (recentlyChosen.includes(port)) continue;
    recentlyChosen.push(port);
    if (recentlyChosen.length > RECENT_LIMIT) recentlyChosen.shift();
    return port;
  }
  throw new Error("no free port on 127.0.0.1 could be found for the guest's network (100 tries)");
}

function kernelChosenPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface FreePortOptions {
  /** How many launches to try; HOST_PORT_ATTEMPTS by default. */
  attempts?: number;
  /** Where ports come from; freeLoopbackPort by default (tests give taken ones). */
  choosePort?: () => Promise<number>;
}

/**
 * Launches the VM with `guestPort` forwarded from a free port of the host's
 * loopback, choosing another port and launching again when the VMM reports
 * the chosen one taken. Any other failure is the launch's own and is thrown.
 */
export async function launchWithFreeHostPort(
  backend: VmmBackend,
  config: Omit<LaunchConfig, "network">,
  guestPort: number,
  options: FreePortOptions = {},
): Promise<{ instance: VmInstance; network: PortForward }> {
  const attempts = options.attempts ?? HOST_PORT_ATTEMPTS;
  const choosePort = options.choosePort ?? freeLoopbackPort;
  const taken: number[] = [];
  for (let attempt = 1; ; attempt++) {
    const network = { hostPort: await choosePort(), guestPort };
    try {
      return { instance: await backend.launch({ ...config, network }), network };
    } catch (error) {
      if (!(error instanceof HostPortTakenError) || attempt >= attempts) {
        if (error instanceof HostPortTakenError) {
          throw new Error(`${backend.name} found every host port it was given taken (${[...taken, network.hostPort].join(", ")}): ${error.message}`);
        }
        throw error;
      }
      taken.push(network.hostPort);
      config.log.debug(`Host port ${network.hostPort} was taken when ${backend.name} started; trying another`);
    }
  }
}
