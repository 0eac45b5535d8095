import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../log/logger.js";
import { HostHttpServer } from "../load/host-http-server.js";
import { buildWorkload } from "../targets/local/workload.js";
import { freeLoopbackPort } from "../vmm/port-forward.js";
import { HttpProbe, HttpProbeTimeoutError } from "./http-probe.js";

const execFileAsync = promisify(execFile);

/** A TCP server that answers each connection with `reply` (or nothing), keeping count of its connections. */
async function rawServer(reply: (socket: net.Socket, connection: number) => void): Promise<{ port: number; connections: () => number; open: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    reply(socket, ++connections);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    open: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answers the request on the socket once its head has arrived, then closes the connection or leaves it open. */
function answerRequest(socket: net.Socket, answer: string, thenClose: boolean): void {
  let text = "";
  socket.on("data", (chunk) => {
    text += chunk.toString();
    if (!text.includes("\r\n\r\n")) return;
    text = "";
    if (thenClose) socket.end(answer);
    else socket.write(answer);
  });
}

const ok = (body: string): string => `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe("HttpProbe", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("is ready at the first complete 200, not at the connect: a server that accepts and stays silent never is", async () => {
    // It reads (and so sees each connection end) but never writes.
    const silent = await rawServer((socket) => socket.resume());
    cleanups.push(silent.close);
    const probe = new HttpProbe({ port: silent.port, attemptTimeoutMs: 100, intervalMs: 20 });
    const started = Date.now();
    const error = await probe.wait({ timeoutMs: 700 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(HttpProbeTimeoutError);
    expect((error as Error).message).toMatch(
      new RegExp(`^HTTP GET http://127\\.0\\.0\\.1:${silent.port}/ got no complete answer after \\d+ attempt\\(s\\) in \\d+ ms \\(last attempt: no complete answer within 100 ms\\)$`),
    );
    const attempts = (error as HttpProbeTimeoutError).attempts;
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(silent.connections()).toBe(attempts);
    expect(Date.now() - started).toBeLessThan(1500);
    // Every attempt's connection was closed by the probe.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(silent.open()).toBe(0);
  });

  it("polls past refused connections, answers without Content-Length, bodies cut short, garbage and other statuses", async () => {
    const port = await freeLoopbackPort();
    const replies = [
      { answer: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nno length", thenClose: true },
      { answer: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", thenClose: true },
      { answer: "garbage\r\n\r\n", thenClose: false },
      { answer: "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n", thenClose: false },
      { answer: ok("ready"), thenClose: false },
    ];
    const probe = new HttpProbe({ port, attemptTimeoutMs: 200, intervalMs: 10 });
    const answer = probe.wait({ timeoutMs: 5000 });
    // Refused until the server listens.
    await new Promise((resolve) => setTimeout(resolve, 150));
    let connection = 0;
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      const reply = replies[Math.min(connection++, replies.length - 1)]!;
      answerRequest(socket, reply.answer, reply.thenClose);
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const result = await answer;
    expect(result.status).toBe(200);
    expect(result.body).toBe("ready");
    // Two answers were complete (the 503 and the 200); the rest were not answers.
    expect(result.completeResponses).toBe(2);
    expect(result.attempts).toBeGreaterThan(5);
    expect(result.intervalMs).toBe(10);
    expect(result.attemptTimeoutMs).toBe(200);
  });

  it("stops at once when its signal aborts, with the signal's reason", async () => {
    const silent = await rawServer((socket) => socket.resume());
    cleanups.push(silent.close);
    const controller = new AbortController();
    const waiting = new HttpProbe({ port: silent.port, attemptTimeoutMs: 5000 }).wait({ signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    controller.abort(new Error("interrupted"));
    await expect(waiting).rejects.toThrow("interrupted");
    expect(Date.now() - started).toBeLessThan(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(silent.open()).toBe(0);
  });

  describe("against the http workload on the host", () => {
    let cacheDir: string;
    let binaryPath: string;

    beforeAll(async () => {
      cacheDir = await mkdtemp(path.join(os.tmpdir(), "bt-http-probe-"));
      binaryPath = await buildWorkload("http", { cacheDir, log: silentLogger });
    });

    afterAll(async () => {
      await rm(cacheDir, { recursive: true, force: true });
    });

    it("answers no earlier than the server listened, with the body curl gets, and the server counts the probe's request", async () => {
      const port = await freeLoopbackPort();
      const probe = new HttpProbe({ port, intervalMs: 5 });
      const answer = probe.wait({ timeoutMs: 10_000 });
      // The server starts a while after the probe: the probe is refused until then.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const server = await HostHttpServer.start({ binaryPath, choosePort: async () => port });
      cleanups.push(() => server.kill());
      const result = await answer;
      expect(result.atNs).toBeGreaterThan(server.readyAtNs);
      expect(result.attempts).toBeGreaterThan(1);
      expect(result.completeResponses).toBe(1);
      const { stdout: curlBody } = await execFileAsync("curl", ["-sS", "--max-time", "5", `http://127.0.0.1:${port}/`]);
      expect(result.body).toBe(curlBody);
      expect(result.body).toBe("benchmark-tool http workload\n");
      // The probe's request and curl's.
      expect(await server.stop()).toEqual({ served: 2 });
    });
  });
});
