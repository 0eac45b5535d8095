#!/usr/bin/env node
// A stand-in for qemu-system-x86_64 whose guest ends through isa-debug-exit:
// QMP works, `cont` is accepted, the guest prints the ready marker, then QEMU
// exits at once with $FAKE_QEMU_EXIT_CODE (as QEMU does: (status << 1) | 1),
// after writing $FAKE_QEMU_STDERR on stderr, if set (QEMU's own error exit).
import net from "node:net";

const args = process.argv.slice(2);
if (args[0] === "--version") {
  console.log("QEMU emulator version 7.2.99 (fake for tests)");
  process.exit(0);
}
const exitCode = Number(process.env.FAKE_QEMU_EXIT_CODE ?? "1");
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
      process.stdout.write("BENCHMARK_TOOL_READY\n", () => {
        if (process.env.FAKE_QEMU_STDERR) process.stderr.write(`${process.env.FAKE_QEMU_STDERR}\n`);
        setTimeout(() => process.exit(exitCode), 50);
      });
    }
    if (command.execute === "quit") process.exit(0);
  }
});
socket.on("close", () => process.exit(0));
setInterval(() => {}, 1000);
