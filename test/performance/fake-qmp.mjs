// What the fake QEMUs share: `--version`, and a QMP server side on the socket
// the tool passes with -qmp (greeting, a return for every command, exit on
// `quit` or when the tool closes the socket). Each fake says what it does on
// `cont` through onCommand.
import net from "node:net";

const args = process.argv.slice(2);
if (args[0] === "--version") {
  console.log("QEMU emulator version 7.2.99 (fake for tests)");
  process.exit(0);
}

/** @param {(command: { execute: string }, send: (message: object) => void) => void} onCommand */
export function serveQmp(onCommand) {
  const qmp = args[args.indexOf("-qmp") + 1].replace(/^unix:/, "");
  const send = (message) => socket.write(JSON.stringify(message) + "\n");
  const socket = net.connect(qmp, () => send({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 99 } }, capabilities: [] } }));
  let buffered = "";
  socket.on("data", (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const command = JSON.parse(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      send({ return: {}, id: command.id });
      onCommand(command, send);
      if (command.execute === "quit") process.exit(0);
    }
  });
  socket.on("close", () => process.exit(0));
  setInterval(() => {}, 1000);
}
