#!/usr/bin/env node
// A stand-in for qemu-system-x86_64 whose guest ends through isa-debug-exit:
// QMP works, `cont` is accepted, the guest prints the ready marker, then QEMU
// exits at once with $FAKE_QEMU_EXIT_CODE (as QEMU does: (status << 1) | 1),
// after writing $FAKE_QEMU_STDERR on stderr, if set (QEMU's own error exit).
import { serveQmp } from "./fake-qmp.mjs";

const exitCode = Number(process.env.FAKE_QEMU_EXIT_CODE ?? "1");
serveQmp((command) => {
  if (command.execute !== "cont") return;
  process.stdout.write("BENCHMARK_TOOL_READY\n", () => {
    if (process.env.FAKE_QEMU_STDERR) process.stderr.write(`${process.env.FAKE_QEMU_STDERR}\n`);
    setTimeout(() => process.exit(exitCode), 50);
  });
});
