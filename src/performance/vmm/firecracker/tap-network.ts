// A server guest's network on Firecracker, which has no user networking: a tap
// device on the host for each VM (housekeeping/tap-devices.ts names it for
// this run and removes it if the run is killed), its /30 (tap-subnets.ts) with
// the host's side up on the tap, and the guest's address, which its boot line
// takes. Firecracker attaches the tap as the guest's virtio-net device
// (PUT /network-interfaces); the tool reaches the guest's server at its address.
import { access, constants, readFile } from "node:fs/promises";
import { createTapDevice, findIpCommand, removeTapDevice } from "../../../housekeeping/tap-devices.js";
import type { GuestNetwork } from "../../../vocabulary/guest-network.js";
import type { Availability } from "../../targets/types.js";
import { freeTapSubnet, hostRoutes, TAP_PREFIX_LENGTH, type TapSubnet } from "./tap-subnets.js";

export const TUN_DEVICE = "/dev/net/tun";
/** Bit 12 of the capability sets in /proc/self/status (linux/capability.h). */
const CAP_NET_ADMIN = 12n;

export interface TapNetworkOptions {
  /** The tun device Firecracker opens taps through (tests point it elsewhere). */
  tunDevice?: string;
  /** The `ip` command; found on PATH and in sbin when absent (tests point it elsewhere). */
  ipCommand?: string;
}

/** What to do when taps cannot be made here. */
const WHAT_TO_DO = "run benchmark-tool as root (sudo) to measure server guests on Firecracker, or leave Firecracker out of a --workload http run";

/** Whether this process has CAP_NET_ADMIN in force (root has it unless a container or setpriv took it away). */
export async function hasNetAdmin(statusText?: string): Promise<boolean> {
  const status = statusText ?? (await readFile("/proc/self/status", "utf8").catch(() => ""));
  const effective = /^CapEff:\s*([0-9a-fA-F]+)$/m.exec(status);
  return effective ? ((BigInt(`0x${effective[1]}`) >> CAP_NET_ADMIN) & 1n) === 1n : false;
}

/**
 * Whether a tap can be made for a guest here: the ip command, the tun device,
 * CAP_NET_ADMIN, and then one tap made and deleted, which proves it (a
 * container may grant the capability and still refuse). Says why not, and what to do.
 */
export async function checkTapNetwork(options: TapNetworkOptions = {}): Promise<Availability> {
  const needs = "Firecracker's guests serve through a tap device made for each VM";
  const ipCommand = options.ipCommand ?? (await findIpCommand());
  if (!ipCommand || !(await executable(ipCommand))) {
    return { available: false, reason: `${needs}, and the ip command (iproute2) ${ipCommand ? `${ipCommand} is not executable` : "was not found"}: install it with 'sudo apt-get install iproute2'` };
  }
  const tun = options.tunDevice ?? TUN_DEVICE;
  try {
    await access(tun, constants.R_OK | constants.W_OK);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return {
      available: false,
      reason: missing
        ? `${needs}, and ${tun} does not exist: load the tun module ('sudo modprobe tun')`
        : `${needs}, and ${tun} is not readable and writable by this user: ${WHAT_TO_DO}`,
    };
  }
  if (!(await hasNetAdmin())) {
    return { available: false, reason: `${needs}, which needs root or CAP_NET_ADMIN, and this run has neither: ${WHAT_TO_DO}` };
  }
  try {
    const trial = await TapNetwork.create({ ...options, ipCommand });
    await trial.remove();
  } catch (error) {
    return { available: false, reason: `${needs}, and making one failed (${(error as Error).message}): ${WHAT_TO_DO}` };
  }
  return { available: true };
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The /30s this process's taps use now: several VMs at once never get the same one. */
const subnetsInUse = new Set<number>();

/** One VM's tap and addresses, from its launch until remove(). */
export class TapNetwork {
  private removal: Promise<void> | undefined;

  private constructor(
    /** The tap's name on the host: Firecracker's host_dev_name. */
    readonly name: string,
    private readonly subnet: TapSubnet,
    private readonly ipCommand: string,
  ) {}

  /** Makes a tap on a free /30, the host's side up on it. */
  static async create(options: TapNetworkOptions = {}): Promise<TapNetwork> {
    const ipCommand = options.ipCommand ?? (await findIpCommand());
    if (!ipCommand) throw new Error("the ip command (iproute2) was not found: install it with 'sudo apt-get install iproute2'");
    const subnet = freeTapSubnet(await hostRoutes(), subnetsInUse);
    if (!subnet) throw new Error(`every /${TAP_PREFIX_LENGTH} of 172.16.0.0/16 is taken by a route of this host or a tap of this run`);
    subnetsInUse.add(subnet.index);
    try {
      const name = await createTapDevice({ hostAddress: subnet.hostAddress, prefixLength: TAP_PREFIX_LENGTH, ipCommand });
      return new TapNetwork(name, subnet, ipCommand);
    } catch (error) {
      subnetsInUse.delete(subnet.index);
      throw error;
    }
  }

  /** What the guest sets on its boot line: its address, the /30, the host as gateway. */
  get guest(): GuestNetwork {
    return this.subnet.guest;
  }

  get guestMac(): string {
    return this.subnet.guestMac;
  }

  /** Deletes the tap, once, however often it is asked; the /30 is free again after. */
  remove(): Promise<void> {
    this.removal ??= removeTapDevice(this.name, this.ipCommand).finally(() => subnetsInUse.delete(this.subnet.index));
    return this.removal;
  }
}
