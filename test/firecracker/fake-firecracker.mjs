#!/usr/bin/env node
// A stand-in for the firecracker binary, for the contract tests: it serves
// the API on the --api-sock unix socket, validates every request against
// Firecracker's specification (spec-validator.mjs), answers like Firecracker
// (204, or 400 with {"fault_message": ...}), and on InstanceStart acts as the
// null guest does: prints the ready marker on stdout (the serial console),
// writes the boot-timer line to the configured log when --boot-timer is on and
// the guest was told the device's address, and exits 0 as after a guest reset.
//
// Environment:
//   FAKE_FC_RECORD  a file that gets one JSON line per request: {method, path, body, ok, errors}
//   FAKE_FC_MODE    fault-on-boot-source | exit-early | never-ready | (unset: a normal boot)
import { accessSync, appendFileSync, constants, existsSync } from "node:fs";
import http from "node:http";
import { loadSpecValidator } from "./spec-validator.mjs";

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
const state = { logPath: undefined, bootSource: undefined, started: false };

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
    if (path === "/actions" && body.action_type === "InstanceStart") {
      state.started = true;
      const startedAt = process.hrtime.bigint();
      answer(response, 204);
      log("action=InstanceStart");
      if (mode !== "never-ready") setImmediate(() => boot(startedAt));
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

server.listen(apiSock);
process.on("SIGTERM", () => process.exit(143));
