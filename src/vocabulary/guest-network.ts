// A server guest's network as the VMM gives it: its IPv4 address, the prefix
// length of its subnet and its gateway. Guests set it statically from their
// boot line (no DHCP wait is measured), and each VMM gives another one: QEMU's
// user networking puts every guest at 10.0.2.15/24 behind 10.0.2.2, while
// Firecracker gives each VM a tap and a subnet of its own. So a target's boot
// arguments name the network with placeholders, and the VMM fills them in:
//
//   {{address}}       the guest's address             10.0.2.15
//   {{prefixLength}}  its subnet's prefix length      24
//   {{netmask}}       the same as a dotted mask       255.255.255.0
//   {{gateway}}       the host's side of the network  10.0.2.2
//
// e.g. Unikraft's "netdev.ip={{address}}/{{prefixLength}}:{{gateway}} --",
// OSv's "--ip=eth0,{{address}},{{netmask}} --defaultgw={{gateway}}", Linux's
// "benchmark.ip={{address}}/{{prefixLength}}:{{gateway}}" (read by guests/linux/init).

export interface GuestNetwork {
  /** The guest's IPv4 address, dotted. */
  address: string;
  /** Its subnet's prefix length (24 for a /24). */
  prefixLength: number;
  /** Where the guest sends what is not on its subnet: the host's side. */
  gateway: string;
}

export const GUEST_NETWORK_PLACEHOLDERS = ["address", "prefixLength", "netmask", "gateway"] as const;
type Placeholder = (typeof GUEST_NETWORK_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** The dotted netmask of a prefix length: 24 → 255.255.255.0. */
export function netmaskOf(prefixLength: number): string {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) throw new RangeError(`${prefixLength} is not an IPv4 prefix length (0 to 32)`);
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join(".");
}

/** The names between {{ }} in `text` that are not placeholders of the guest's network (typos, in a manifest). */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!).filter((name) => !(GUEST_NETWORK_PLACEHOLDERS as readonly string[]).includes(name));
}

/** Whether `bootArgs` name the guest's network, which the VMM must then fill in. */
export function namesGuestNetwork(bootArgs: string): boolean {
  return [...bootArgs.matchAll(PLACEHOLDER)].some((match) => (GUEST_NETWORK_PLACEHOLDERS as readonly string[]).includes(match[1]!));
}

/** `bootArgs` with the guest network's placeholders filled in; other text, {{unknown}} included, is left as it is. */
export function withGuestNetwork(bootArgs: string, network: GuestNetwork): string {
  const values: Record<Placeholder, string> = {
    address: network.address,
    prefixLength: String(network.prefixLength),
    netmask: netmaskOf(network.prefixLength),
    gateway: network.gateway,
  };
  return bootArgs.replace(PLACEHOLDER, (whole, name: string) => (name in values ? values[name as Placeholder] : whole));
}
