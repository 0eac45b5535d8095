import { describe, expect, it } from "vitest";
import { hasNetAdmin } from "./tap-network.js";

describe("CAP_NET_ADMIN, from /proc/self/status", () => {
  it("is bit 12 of the effective set", async () => {
    await expect(hasNetAdmin("Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n")).resolves.toBe(true);
    // Root in a container without it (setpriv --bounding-set=-net_admin, docker --cap-drop NET_ADMIN).
    await expect(hasNetAdmin("CapEff:\t000001ffffffefff\n")).resolves.toBe(false);
    // A user with nothing but it.
    await expect(hasNetAdmin("CapEff:\t0000000000001000\n")).resolves.toBe(true);
    await expect(hasNetAdmin("CapEff:\t0000000000000000\n")).resolves.toBe(false);
    await expect(hasNetAdmin("no capabilities here")).resolves.toBe(false);
  });
});
