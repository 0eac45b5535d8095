// The client's deadlines against raw loopback servers, in process: what a
// request does past its deadline, and that nothing it opened (a socket, a
// timer) is left once it has ended, so that the CLI's process exits on its own.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { GitHubClient, newRequestStats, type RequestContext } from "../../src/community/client.js";
import { MAX_TIMED_OUT_ATTEMPTS } from "../../src/community/deadline/request-deadline.js";
import { createLogger } from "../../src/log/logger.js";

const ROUTE = "GET /repos/{owner}/{repo}/community/profile";
const ANY = z.object({ health_percentage: z.number() });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A loopback server that handles each request as `handle` says; `hits` counts them. */
async function serve(handle: (request: http.IncomingMessage, response: http.ServerResponse) => void) {
  const sockets = new Set<Socket>();
  const state = { hits: 0, url: "" };
  const server = http.createServer((request, response) => {
    state.hits += 1;
    handle(request, response);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return Object.assign(state, { openSockets: () => sockets.size });
}

function client(url: string, requestTimeoutMs: number, lines: string[] = []) {
  return new GitHubClient({ token: "t", apiUrl: url, requestTimeoutMs, logger: createLogger({ debug: true, write: (line) => lines.push(line) }) });
}

const context = (signal?: AbortSignal): RequestContext => ({ repository: "acme/osv", what: "community profile", stats: newRequestStats(), ...(signal ? { signal } : {}) });

/**
 * Timers and sockets that keep this process alive (Node's active resources),
 * less the server's own sockets: what the client left behind. (An idle
 * connection fetch keeps in its pool does not count: it does not keep a
 * process alive.)
 */
const leftBehind = (server: { openSockets: () => number }) =>
  process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "TCPSocketWrap").length - server.openSockets();

describe("the request deadline", () => {
  it("gives up after three timed-out attempts, retried as failed requests are, and leaves no timer or socket behind", async () => {
    const server = await serve(() => {});
    const lines: string[] = [];
    const before = leftBehind(server);
    const started = Date.now();
    const ctx = context();
    await expect(client(server.url, 200, lines).get(ROUTE, { owner: "acme", repo: "osv" }, ANY, ctx)).rejects.toThrow(
      /GitHub did not answer the community profile for acme\/osv: no complete answer within 0\.2 s, 3 times/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 200 + 1000 + 4000);
    expect(server.hits).toBe(MAX_TIMED_OUT_ATTEMPTS);
    expect(ctx.stats.requests).toBe(MAX_TIMED_OUT_ATTEMPTS);
    expect(lines.filter((l) => l.includes("acme/osv: community profile sent again"))).toHaveLength(2);
    await sleep(50);
    expect(leftBehind(server)).toBeLessThanOrEqual(before);
  });

  it("times the body too: an answer that stops half-way is retried, and the next one read", async () => {
    const body = JSON.stringify({ health_percentage: 85 });
    const server = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      // The first answer sends its headers and half its body, then nothing.
      if (server.hits === 1) response.write(body.slice(0, 10));
      else response.end(body);
    });
    const ctx = context();
    await expect(client(server.url, 300).get(ROUTE, { owner: "acme", repo: "osv" }, ANY, ctx)).resolves.toEqual({ health_percentage: 85 });
    expect(server.hits).toBe(2);
  });

  it("ends at once, without retry, when the caller's signal aborts, and leaves nothing behind", async () => {
    const server = await serve(() => {});
    const before = leftBehind(server);
    const deadline = new AbortController();
    const started = Date.now();
    const request = client(server.url, 30_000).get(ROUTE, { owner: "acme", repo: "osv" }, ANY, context(deadline.signal));
    await sleep(200);
    deadline.abort(new Error("the repository's deadline passed"));
    await expect(request).rejects.toThrow("the repository's deadline passed");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.hits).toBe(1);
    await sleep(50);
    expect(leftBehind(server)).toBeLessThanOrEqual(before);
  });
});
