#!/usr/bin/env node
// A stand-in for the firecracker binary, for the contract tests: it serves
// the API on the --api-sock unix socket, validates every request against
// Firecracker's specification (spec-validator.mjs), answers like Firecracker
// (204, or 400 with {"fault_message": ...}), and on InstanceStart acts as the
// null guest does: prints the ready marker on stdout (the serial console),
// writes the boot-timer line to the configured log when --boot-timer is on and
// the guest was told the device's address, and exits 0 as after a guest reset.
//
// A VM given a network interface (PUT /network-interfaces, whose tap must
// exist on the host, as Firecracker opens it) is a server guest instead: on
// InstanceStart the stand-in records the tap as it finds it, then runs the
// server FAKE_FC_GUEST_SERVER (the http workload built for the host) behind
// that tap, at the address the boot line gives in any of the guests' forms
// (Linux's benchmark.ip=, OSv's --ip= and --defaultgw=, Unikraft's
// netdev.ip=, nanos's ipaddr= netmask= gateway=), through
// fake-guest-network.py; its console is the
// server's output, and the stand-in exits 0 when the server has exited (after
// its stop request), as Firecracker does at the guest's reset.
//
// Environment:
//   FAKE_FC_RECORD        a file that gets one JSON line per request: {method, path, body, ok, errors},
//                         and for a server guest one {event: "tap", name, exists, addresses, up} at InstanceStart
//   FAKE_FC_MODE          fault-on-boot-source | fault-on-network-interface | exit-early | never-ready | (unset: a normal boot)
//   FAKE_FC_GUEST_SERVER  the server a guest with a network interface runs (its port comes from the guest: 8080)
import { execFileSync, spawn } from "node:child_process";
import { accessSync, appendFileSync, constants, existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadSpecValidator } from "./spec-validator.mjs";

const GUEST_NETWORK = path.join(path.dirname(fileURLToPath(import.meta.url)), "fake-guest-network.py");

const VERSION = "v1.16.1";
const BOOT_TIMER_ADDRESS = "0xc0000000";
const READY_LINE = "BENCHMARK_TOOL_READY\r\n";
const mode = process.env.FAKE_FC_MODE ?? "";
const recordFile = process.env.FAKE_FC_RECORD;

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`Firecracker ${VERSION}\n\nSupported snapshot data format versions: v8.0.0\n`);
  process.exit(0);
}
let apiSock;
let bootTimer = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--api-sock") apiSock = args[++i];
  else if (args[i] === "--boot-timer") bootTimer = true;
  else fatal(`Error: Arguments(UnexpectedArgument("${args[i]}"))`);
}
if (!apiSock) fatal("Error: the fake needs --api-sock");

function fatal(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

// Firecracker logs its banner on stdout until a logger is configured.
process.stdout.write(`${new Date().toISOString()} [anonymous-instance:main] Running Firecracker ${VERSION}\n`);
if (mode === "exit-early") fatal(`Error: RunWithApi(FailedToBindSocket("${apiSock}"))`);

const validator = loadSpecValidator();
const state = { logPath: undefined, bootSource: undefined, started: false, networkInterfaces: [] };

function answer(response, status, faultMessage) {
  if (status === 204) return response.writeHead(204).end();
  const body = JSON.stringify({ fault_message: faultMessage });
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }).end(body);
}

function log(line) {
  if (state.logPath) appendFileSync(state.logPath, `${new Date().toISOString()} [anonymous-instance:fc_vcpu 0:INFO] ${line}\n`);
}

/** What Firecracker itself would refuse beyond the schema; undefined when it would accept. */
function semanticFault(method, path, body) {
  if (path === "/logger" || path === "/metrics") {
    const file = body.log_path ?? body.metrics_path;
    try {
      if (file !== undefined) accessSync(file, constants.W_OK);
    } catch {
      return `Failed to open target file: No such file or directory (os error 2)`;
    }
  }
  if (path === "/boot-source") {
    if (mode === "fault-on-boot-source") return `The kernel file cannot be opened: No such file or directory (os error 2)`;
    if (!existsSync(body.kernel_image_path)) return `The kernel file cannot be opened: No such file or directory (os error 2)`;
  }
  if (path.startsWith("/drives/") && body.path_on_host !== undefined && !existsSync(body.path_on_host)) {
    return `Unable to create the virtio block device: No such file or directory (os error 2)`;
  }
  if (path.startsWith("/network-interfaces/")) {
    if (state.started) return "The requested operation is not supported after starting the microVM.";
    if (decodeURIComponent(path.slice("/network-interfaces/".length)) !== body.iface_id) return "The id from the path does not match the id from the body!";
    if (body.guest_mac !== undefined && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(body.guest_mac)) return `Invalid MAC address: ${body.guest_mac}`;
    if (mode === "fault-on-network-interface") return `Could not create the network device: Open tap device failed: Error while creating ifreq structure: Operation not permitted (os error 1). Invalid TUN/TAP Backend provided by ${body.host_dev_name}.`;
    // Firecracker opens the tap by name; without CAP_NET_ADMIN (its jailer drops it) it cannot make one that is missing.
    if (!existsSync(`/sys/class/net/${body.host_dev_name}/tun_flags`)) {
      return `Could not create the network device: Open tap device failed: Error while creating ifreq structure: No such device (os error 19). Invalid TUN/TAP Backend provided by ${body.host_dev_name}. Check our documentation on setting up the network devices.`;
    }
  }
  if (path === "/actions" && body.action_type === "InstanceStart") {
    if (state.started) return "The requested operation is not supported after starting the microVM.";
    if (!state.bootSource) return "Cannot start microvm that was not configured with a kernel.";
  }
  return undefined;
}

const server = http.createServer((request, response) => {
  let text = "";
  request.setEncoding("utf8");
  request.on("data", (chunk) => (text += chunk));
  request.on("end", () => {
    const path = request.url ?? "";
    let body;
    let validation;
    try {
      body = text ? JSON.parse(text) : undefined;
      validation = validator.validate(request.method, path, body);
    } catch (error) {
      validation = { ok: false, errors: [`the body is not JSON: ${error.message}`] };
    }
    if (recordFile) {
      appendFileSync(recordFile, JSON.stringify({ method: request.method, path, body, ok: validation.ok, errors: validation.ok ? [] : validation.errors }) + "\n");
    }
    if (!validation.ok) return answer(response, 400, `An error occurred when deserializing the json body of a request: ${validation.errors.join("; ")}`);
    const fault = semanticFault(request.method, path, body);
    if (fault) return answer(response, 400, fault);
    if (path === "/logger") state.logPath = body.log_path;
    if (path === "/boot-source") state.bootSource = body;
    if (path.startsWith("/network-interfaces/")) state.networkInterfaces = [...state.networkInterfaces.filter((i) => i.iface_id !== body.iface_id), body];
    if (path === "/actions" && body.action_type === "InstanceStart") {
      state.started = true;
      const startedAt = process.hrtime.bigint();
      answer(response, 204);
      log("action=InstanceStart");
      if (mode !== "never-ready") setImmediate(() => (state.networkInterfaces.length ? serve(state.networkInterfaces[0]) : boot(startedAt)));
      return;
    }
    answer(response, 204);
  });
});

/** The null guest's run: the marker, the boot-timer write, the i8042 reset. */
function boot(startedAt) {
  process.stdout.write(READY_LINE);
  const timerArg = (state.bootSource.boot_args ?? "").split(" ").find((arg) => arg.startsWith("boot_timer="));
  if (bootTimer && timerArg === `boot_timer=${BOOT_TIMER_ADDRESS}`) {
    const us = Number((process.hrtime.bigint() - startedAt) / 1000n);
    const cpuUs = Math.round(process.cpuUsage().user / 100);
    log(`Guest-boot-time = ${String(us).padStart(6)} us ${Math.floor(us / 1000)} ms, ${String(cpuUs).padStart(6)} CPU us ${Math.floor(cpuUs / 1000)} CPU ms`);
  }
  setTimeout(() => {
    log("Vmm is stopping.");
    process.stdout.write("", () => process.exit(0));
  }, 20);
}

/** What the host has of the tap Firecracker was given, as the guest starts: it must be there, up, with the host's address. */
function recordTap(name) {
  if (!recordFile) return;
  const exists = existsSync(`/sys/class/net/${name}/tun_flags`);
  let addresses = [];
  let up = false;
  if (exists) {
    const [link] = JSON.parse(execFileSync("ip", ["-json", "address", "show", "dev", name], { encoding: "utf8" }));
    addresses = (link?.addr_info ?? []).filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`);
    up = (link?.flags ?? []).includes("UP");
  }
  appendFileSync(recordFile, JSON.stringify({ event: "tap", name, exists, addresses, up }) + "\n");
}

/** The address a guest takes from its boot line, as <address>/<prefix length>:<gateway>, in each guest's form. */
function guestNetwork(bootArgs) {
  const words = bootArgs.split(" ");
  const value = (prefix) => words.find((word) => word.startsWith(prefix))?.slice(prefix.length);
  // Linux (guests/linux/init) and Unikraft (lib-uknetdev): <address>/<prefix>:<gateway>.
  const linux = value("benchmark.ip=") ?? value("netdev.ip=");
  if (linux) return linux;
  // OSv: --ip=<interface>,<address>,<netmask> --defaultgw=<gateway>; nanos: ipaddr=, netmask=, gateway=.
  const [, osvAddress, osvNetmask] = (value("--ip=") ?? "").split(",");
  const address = osvAddress ?? value("ipaddr=");
  const netmask = osvNetmask ?? value("netmask=");
  const gateway = value("--defaultgw=") ?? value("gateway=");
  if (!address || !netmask || !gateway) return undefined;
  const prefix = netmask.split(".").map(Number).reduce((bits, octet) => bits + octet.toString(2).replaceAll("0", "").length, 0);
  return `${address}/${prefix}:${gateway}`;
}

/** A server guest's run: the server behind the tap, at the boot line's address, until it exits after its stop request. */
function serve(networkInterface) {
  recordTap(networkInterface.host_dev_name);
  const serverCommand = process.env.FAKE_FC_GUEST_SERVER;
  if (!serverCommand) fatal("the fake's server guest needs FAKE_FC_GUEST_SERVER, the http workload built for the host");
  const network = guestNetwork(state.bootSource.boot_args ?? "");
  if (!network) fatal(`the guest's boot line gives it no address (benchmark.ip=, --ip= with --defaultgw=, netdev.ip=, or ipaddr= netmask= gateway=): ${state.bootSource.boot_args}`);
  const guest = spawn(
    "python3",
    [GUEST_NETWORK, networkInterface.host_dev_name, network, networkInterface.guest_mac ?? "06:00:00:00:00:01", apiSock, "--", serverCommand],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  guest.once("error", (error) => fatal(`could not run the server guest: ${error.message}`));
  guest.once("exit", (code, signal) => {
    log(code === 0 ? "Vmm is stopping." : `the server guest ended with ${code ?? signal}`);
    process.exit(code === 0 ? 0 : 1);
  });
}

server.listen(apiSock);
process.on("SIGTERM", () => process.exit(143));
