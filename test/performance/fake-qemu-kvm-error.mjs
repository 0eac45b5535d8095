#!/usr/bin/env node
// A stand-in for qemu-system-x86_64 that fails the way QEMU does when KVM
// cannot run a guest: QMP works, `cont` is accepted, then QEMU prints
// "KVM internal error" on stderr and stays alive with the guest paused.
import net from "node:net";

const args = process.argv.slice(2);
if (args[0] === "--version") {
  console.log("QEMU emulator version 7.2.99 (fake for tests)");
  process.exit(0);
}
const qmp = args[args.indexOf("-qmp") + 1].replace(/^unix:/, "");
const socket = net.connect(qmp, () => {
  socket.write(JSON.stringify({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 99 } }, capabilities: [] } }) + "\n");
});
let buffered = "";
socket.on("data", (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf("\n")) >= 0) {
    const command = JSON.parse(buffered.slice(0, newline));
    buffered = buffered.slice(newline + 1);
    socket.write(JSON.stringify({ return: {}, id: command.id }) + "\n");
    if (command.execute === "cont") {
      process.stderr.write("KVM internal error. Suberror: 1\nextra data[0]: 0x0000000000000000\nemulation failure\n");
      socket.write(JSON.stringify({ event: "STOP", timestamp: { seconds: 0, microseconds: 0 } }) + "\n");
    }
    if (command.execute === "quit") process.exit(0);
  }
});
socket.on("close", () => process.exit(0));
setInterval(() => {}, 1000);
