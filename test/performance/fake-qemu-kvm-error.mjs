#!/usr/bin/env node
// A stand-in for qemu-system-x86_64 that fails the way QEMU does when KVM
// cannot run a guest: QMP works, `cont` is accepted, then QEMU prints
// "KVM internal error" on stderr and stays alive with the guest paused.
import { serveQmp } from "./fake-qmp.mjs";

serveQmp((command, send) => {
  if (command.execute !== "cont") return;
  process.stderr.write("KVM internal error. Suberror: 1\nextra data[0]: 0x0000000000000000\nemulation failure\n");
  send({ event: "STOP", timestamp: { seconds: 0, microseconds: 0 } });
});
