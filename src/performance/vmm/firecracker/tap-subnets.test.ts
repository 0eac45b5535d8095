import { describe, expect, it } from "vitest";
import { freeTapSubnet, parseProcNetRoute, tapSubnet, TAP_SUBNETS, type HostRoute } from "./tap-subnets.js";

const route = (cidr: string): HostRoute => {
  const [address, prefix] = cidr.split("/");
  const destination = address!.split(".").map(Number).reduce((a, b) => a * 256 + b) >>> 0;
  const length = Number(prefix);
  return { destination, mask: length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0 };
};

describe("tap subnets", () => {
  it("gives each VM a /30 of 172.16.0.0/16: the host at .1, the guest at .2 behind it, a MAC from the guest's address", () => {
    expect(tapSubnet(0)).toEqual({
      index: 0,
      hostAddress: "172.16.0.1",
      guest: { address: "172.16.0.2", prefixLength: 30, gateway: "172.16.0.1" },
      guestMac: "06:00:ac:10:00:02",
    });
    expect(tapSubnet(1).guest).toEqual({ address: "172.16.0.6", prefixLength: 30, gateway: "172.16.0.5" });
    expect(tapSubnet(64).hostAddress).toBe("172.16.1.1");
    expect(tapSubnet(TAP_SUBNETS - 1)).toMatchObject({ hostAddress: "172.16.255.253", guestMac: "06:00:ac:10:ff:fe" });
    expect(() => tapSubnet(TAP_SUBNETS)).toThrow(/outside 0 to 16383/);
  });

  it("skips the /30s this process uses and those a route of the host covers; a default route covers none", () => {
    expect(freeTapSubnet([route("0.0.0.0/0")], new Set())!.index).toBe(0);
    expect(freeTapSubnet([], new Set([0, 1]))!.index).toBe(2);
    // Another run's tap (its /30), a LAN's /24 over the start of the range, a wider one.
    expect(freeTapSubnet([route("172.16.0.0/30")], new Set())!.index).toBe(1);
    expect(freeTapSubnet([route("172.16.0.0/24")], new Set())!.hostAddress).toBe("172.16.1.1");
    expect(freeTapSubnet([route("172.16.0.0/23"), route("172.16.2.4/32")], new Set([128]))!.hostAddress).toBe("172.16.2.9");
    // A route inside a /30 takes it too.
    expect(freeTapSubnet([route("172.16.0.2/32")], new Set())!.index).toBe(1);
    // Docker's 172.17.0.0/16 and a whole 172.16.0.0/12 LAN.
    expect(freeTapSubnet([route("172.17.0.0/16")], new Set())!.index).toBe(0);
    expect(freeTapSubnet([route("172.16.0.0/12")], new Set())).toBeUndefined();
  });

  it("reads the host's routes from /proc/net/route (little-endian hexadecimal)", () => {
    const text = [
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
      "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
      "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
      "bt7t0\t040010AC\t00000000\t0001\t0\t0\t0\tFCFFFFFF\t0\t0\t0",
      "",
    ].join("\n");
    expect(parseProcNetRoute(text)).toEqual([route("0.0.0.0/0"), route("172.17.0.0/16"), route("172.16.0.4/30")]);
    expect(freeTapSubnet(parseProcNetRoute(text), new Set([0]))!.index).toBe(2);
  });
});
