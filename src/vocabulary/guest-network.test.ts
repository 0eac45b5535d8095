import { describe, expect, it } from "vitest";
import { namesGuestNetwork, netmaskOf, unknownPlaceholders, withGuestNetwork } from "./guest-network.js";

const SLIRP = { address: "10.0.2.15", prefixLength: 24, gateway: "10.0.2.2" };
const TAP = { address: "172.16.0.6", prefixLength: 30, gateway: "172.16.0.5" };

describe("the guest's network on its boot line", () => {
  it("fills each recipe's form with QEMU user networking's address, as the recipes had it literally", () => {
    expect(withGuestNetwork("netdev.ip={{address}}/{{prefixLength}}:{{gateway}} --", SLIRP)).toBe("netdev.ip=10.0.2.15/24:10.0.2.2 --");
    expect(withGuestNetwork("--rootfs=rofs --ip=eth0,{{address}},{{netmask}} --defaultgw={{gateway}} /workload", SLIRP)).toBe(
      "--rootfs=rofs --ip=eth0,10.0.2.15,255.255.255.0 --defaultgw=10.0.2.2 /workload",
    );
  });

  it("fills a tap's /30, every occurrence, and leaves other braces alone", () => {
    expect(withGuestNetwork("benchmark.ip={{address}}/{{prefixLength}}:{{gateway}} a={{address}} {{other}} {x}", TAP)).toBe(
      "benchmark.ip=172.16.0.6/30:172.16.0.5 a=172.16.0.6 {{other}} {x}",
    );
  });

  it("turns prefix lengths into netmasks", () => {
    expect(netmaskOf(30)).toBe("255.255.255.252");
    expect(netmaskOf(24)).toBe("255.255.255.0");
    expect(netmaskOf(0)).toBe("0.0.0.0");
    expect(netmaskOf(32)).toBe("255.255.255.255");
    expect(netmaskOf(17)).toBe("255.255.128.0");
    expect(() => netmaskOf(33)).toThrow(/not an IPv4 prefix length/);
  });

  it("tells boot lines that name the network from those that do not, and finds typos", () => {
    expect(namesGuestNetwork("--ip=eth0,{{address}},{{netmask}}")).toBe(true);
    expect(namesGuestNetwork("console=ttyS0 {{adress}}")).toBe(false);
    expect(unknownPlaceholders("{{adress}}/{{prefixLength}}:{{gw}}")).toEqual(["adress", "gw"]);
    expect(unknownPlaceholders("netdev.ip={{address}}/{{prefixLength}}:{{gateway}} --")).toEqual([]);
  });
});
