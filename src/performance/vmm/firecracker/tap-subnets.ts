// The addresses of a server guest's tap network on Firecracker: each VM gets a
// /30 of its own in 172.16.0.0/16 (16,384 of them), the host at .1 on the tap,
// the guest at .2 with the host as its gateway, and a MAC address made from the
// guest's address. A /30 that a route of the host already covers (a LAN, a
// Docker network, another run's tap) is skipped, and this process never hands
// out one it still uses, so that several VMs at once (density) never share one.
import { readFile } from "node:fs/promises";
import type { GuestNetwork } from "../../../vocabulary/guest-network.js";

/** 172.16.0.0/16: private (RFC 1918), and below Docker's default pools (172.17.0.0/16 and up). */
const RANGE_START = (172 << 24) | (16 << 16);
const RANGE_PREFIX = 16;
export const TAP_PREFIX_LENGTH = 30;
export const TAP_SUBNETS = 2 ** (TAP_PREFIX_LENGTH - RANGE_PREFIX);

export interface TapSubnet {
  /** Which /30 of the range (0 to TAP_SUBNETS - 1). */
  index: number;
  /** The host's side, set on the tap, and the guest's gateway. */
  hostAddress: string;
  /** What the guest sets on its boot line. */
  guest: GuestNetwork;
  /** The guest's MAC (Firecracker's guest_mac): locally administered, unicast, 06:00 and the guest's address. */
  guestMac: string;
}

/** An IPv4 route of the host: its destination and mask, as numbers. */
export interface HostRoute {
  destination: number;
  mask: number;
}

function dotted(address: number): string {
  return [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join(".");
}

/** The `index`th /30 of the range. */
export function tapSubnet(index: number): TapSubnet {
  if (!Number.isInteger(index) || index < 0 || index >= TAP_SUBNETS) throw new RangeError(`tap subnet ${index} is outside 0 to ${TAP_SUBNETS - 1}`);
  const network = (RANGE_START + index * 4) >>> 0;
  const guest = network + 2;
  const mac = ["06", "00", ...[24, 16, 8, 0].map((shift) => ((guest >>> shift) & 0xff).toString(16).padStart(2, "0"))].join(":");
  return {
    index,
    hostAddress: dotted(network + 1),
    guest: { address: dotted(guest), prefixLength: TAP_PREFIX_LENGTH, gateway: dotted(network + 1) },
    guestMac: mac,
  };
}

/** Whether a /30 at `network` overlaps a route (a default route, mask 0, is no subnet and overlaps nothing). */
function overlaps(network: number, route: HostRoute): boolean {
  if (route.mask === 0) return false;
  const subnetMask = (0xffffffff << (32 - TAP_PREFIX_LENGTH)) >>> 0;
  const mask = (route.mask & subnetMask) >>> 0;
  return ((network & mask) >>> 0) === ((route.destination & mask) >>> 0);
}

/** The first /30 of the range that no route covers and that is not in `inUse`; undefined when none is left. */
export function freeTapSubnet(routes: readonly HostRoute[], inUse: ReadonlySet<number>): TapSubnet | undefined {
  for (let index = 0; index < TAP_SUBNETS; index++) {
    if (inUse.has(index)) continue;
    const network = (RANGE_START + index * 4) >>> 0;
    if (!routes.some((route) => overlaps(network, route))) return tapSubnet(index);
  }
  return undefined;
}

/**
 * The host's IPv4 routes from /proc/net/route (the main table: every
 * interface's subnet and what was added), whose Destination and Mask columns
 * are hexadecimal in the host's byte order (little-endian on x86).
 */
export function parseProcNetRoute(text: string): HostRoute[] {
  const fromHex = (hex: string): number => {
    const value = Number.parseInt(hex, 16);
    // Little-endian: the first octet is the lowest byte.
    return (((value & 0xff) << 24) | (((value >>> 8) & 0xff) << 16) | (((value >>> 16) & 0xff) << 8) | ((value >>> 24) & 0xff)) >>> 0;
  };
  return text
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 8 && /^[0-9A-Fa-f]{8}$/.test(fields[1]!) && /^[0-9A-Fa-f]{8}$/.test(fields[7]!))
    .map((fields) => ({ destination: fromHex(fields[1]!), mask: fromHex(fields[7]!) }));
}

export async function hostRoutes(): Promise<HostRoute[]> {
  return parseProcNetRoute(await readFile("/proc/net/route", "utf8").catch(() => ""));
}
