// The end of a served run: GET /quit, which the http workload answers before
// it prints its count and exits (so that the guest powers off). Bounded: a
// guest that no longer answers fails the request, it never hangs the run.
import http from "node:http";
import { monotonicNow, type Nanoseconds } from "../../clock.js";

export const STOP_PATH = "/quit";
/** Enough for a guest under TCG that has just served a load. */
export const STOP_TIMEOUT_MS = 5000;

export interface StopRequestOptions {
  port: number;
  /** 127.0.0.1 by default. */
  host?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export class StopRequestError extends Error {
  override readonly name = "StopRequestError";
}

/** Sends GET /quit and resolves when its complete answer has arrived (any status: the server said it heard). */
export function requestStop(options: StopRequestOptions): Promise<{ status: number; atNs: Nanoseconds }> {
  const timeoutMs = options.timeoutMs ?? STOP_TIMEOUT_MS;
  const url = `http://${options.host ?? "127.0.0.1"}:${options.port}${STOP_PATH}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      // The client closes first (the server waits for it before exiting).
      request.destroy();
      outcome();
    };
    const fail = (why: string): void => settle(() => reject(new StopRequestError(`HTTP GET ${url} (the stop request) ${why}`)));
    const onAbort = (): void => settle(() => reject(options.signal!.reason));
    const request = http.get(url, { agent: false, headers: { connection: "close" } }, (response) => {
      response.resume();
      response.on("end", () => {
        const atNs = monotonicNow();
        if (!response.complete) return fail("got an incomplete answer");
        settle(() => resolve({ status: response.statusCode ?? 0, atNs }));
      });
      response.on("error", (error) => fail(`failed: ${error.message}`));
    });
    request.on("error", (error) => fail(`failed: ${error.message}`));
    const timer = setTimeout(() => fail(`got no complete answer within ${timeoutMs} ms`), timeoutMs);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
