// The http workload on the host, as the generator's ceiling runs it, and the
// pieces that load it and stop it: wrk through runWrk, GET /quit through requestStop.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../log/logger.js";
import { buildWorkload } from "../targets/local/workload.js";
import { freeLoopbackPort } from "../vmm/port-forward.js";
import { usePrivateTmpdir } from "../../../test/helpers/leftovers.js";
import { HostHttpServer } from "./host-http-server.js";
import { checkServedCount } from "./served-count.js";
import { requestStop, StopRequestError } from "./stop-request.js";
import { runWrk, WrkLoadError, WrkMissingError } from "./wrk-load.js";

const execFileAsync = promisify(execFile);

describe("the http workload on the host, loaded by wrk", () => {
  let cacheDir: string;
  let binaryPath: string;
  const servers: HostHttpServer[] = [];

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), "bt-host-http-"));
    binaryPath = await buildWorkload("http", { cacheDir, log: silentLogger });
  });
  // The servers' and wrk's private directories go here (once the workload is built), checked for leftovers after each test.
  usePrivateTmpdir("bt-host-http-tmp-");
  // Registered after the check above, so it runs before it (after-hooks run in reverse).
  afterEach(() => {
    for (const server of servers.splice(0)) server.kill();
  });

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("serves wrk over keep-alive connections and counts what it answered: wrk's requests plus the tool's, give or take what was in flight", async () => {
    const server = await HostHttpServer.start({ binaryPath });
    servers.push(server);
    const { stdout } = await execFileAsync("curl", ["-sS", "-i", "--max-time", "5", `http://127.0.0.1:${server.port}/`]);
    expect(stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(stdout).toMatch(/\r\nContent-Length: 29\r\n/);

    const load = await runWrk({ url: `http://127.0.0.1:${server.port}/`, durationSeconds: 2, connections: 2, threads: 2 });
    expect(load.requests).toBeGreaterThan(100);
    expect(load.errors).toEqual({ connect: 0, read: 0, write: 0, status: 0, timeout: 0 });
    expect(load.durationUs).toBeGreaterThanOrEqual(1_900_000);
    expect(load.requestsPerSecond).toBeCloseTo(load.requests / (load.durationUs / 1e6), 6);
    const { min, p50, p90, p99, max } = load.latencyUs;
    expect(min).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p90);
    expect(p90).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(load.commandLine).toContain("--connections");

    const { served } = await server.stop();
    const verdict = checkServedCount(served, { generatorRequests: load.requests, generatorConnections: 2, toolResponses: 1 });
    expect(verdict, verdict.explanation).toMatchObject({ agrees: true });
  });

  it("counts error statuses as errors, late answers as timeouts, and ends on time against a server that does not answer", async () => {
    const server = await HostHttpServer.start({ binaryPath });
    servers.push(server);
    const notFound = await runWrk({ url: `http://127.0.0.1:${server.port}/missing`, durationSeconds: 1, connections: 1, threads: 1 });
    expect(notFound.errors.status).toBe(notFound.requests);
    expect(notFound.requests).toBeGreaterThan(0);

    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      const port = (silent.address() as net.AddressInfo).port;
      const unanswered = await runWrk({ url: `http://127.0.0.1:${port}/`, durationSeconds: 2, connections: 2, threads: 1, requestTimeoutSeconds: 1 });
      // wrk counts a request never answered nowhere.
      expect(unanswered.requests).toBe(0);
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }

    // Answers 1.5 s late, past wrk's 1 s timeout.
    const late = net.createServer((socket) => {
      socket.on("data", () => setTimeout(() => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), 1500));
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => late.listen(0, "127.0.0.1", resolve));
    try {
      const port = (late.address() as net.AddressInfo).port;
      const slow = await runWrk({ url: `http://127.0.0.1:${port}/`, durationSeconds: 3, connections: 1, threads: 1, requestTimeoutSeconds: 1 });
      expect(slow.requests).toBeGreaterThan(0);
      expect(slow.errors.timeout).toBe(slow.requests);
    } finally {
      await new Promise((resolve) => late.close(resolve));
    }
  });

  it("moves to another port when the one chosen is taken by the time it starts", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    try {
      const takenPort = (taken.address() as net.AddressInfo).port;
      const ports = [takenPort];
      const server = await HostHttpServer.start({ binaryPath, choosePort: async () => ports.shift() ?? freeLoopbackPort() });
      servers.push(server);
      expect(server.port).not.toBe(takenPort);
      expect(await server.stop()).toEqual({ served: 0 });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("bounds the stop request: a server that never answers fails it in time", async () => {
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      const port = (silent.address() as net.AddressInfo).port;
      const error = await requestStop({ port, timeoutMs: 300 }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(StopRequestError);
      expect((error as Error).message).toBe(`HTTP GET http://127.0.0.1:${port}/quit (the stop request) got no complete answer within 300 ms`);
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("says how to install wrk when it is missing, and kills a wrk that overruns", async () => {
    await expect(runWrk({ url: "http://127.0.0.1:1/", durationSeconds: 1, connections: 1, threads: 1, binary: "/nonexistent/wrk" })).rejects.toThrow(WrkMissingError);
    await expect(runWrk({ url: "http://127.0.0.1:1/", durationSeconds: 1, connections: 1, threads: 1, binary: "/nonexistent/wrk" })).rejects.toThrow(/apt-get install wrk/);
    await expect(runWrk({ url: "http://127.0.0.1:1/", durationSeconds: 1, connections: 1, threads: 2 })).rejects.toThrow(/at least as many connections as threads/);

    // A wrk that hangs (a stand-in: the real one always ends on time against a live or dead server).
    const bin = await mkdtemp(path.join(os.tmpdir(), "bt-hanging-wrk-"));
    try {
      const hanging = path.join(bin, "wrk");
      await writeFile(hanging, "#!/bin/sh\nexec sleep 60\n");
      await chmod(hanging, 0o755);
      const started = Date.now();
      const error = await runWrk({ url: "http://127.0.0.1:1/", durationSeconds: 1, connections: 1, threads: 1, requestTimeoutSeconds: 1, binary: hanging }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(WrkLoadError);
      expect((error as Error).message).toMatch(/^wrk did not finish within 7000 ms of a 1 s load and was killed/);
      expect(Date.now() - started).toBeLessThan(9000);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});
