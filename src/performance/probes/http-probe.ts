// Readiness as a server's user sees it: the first complete HTTP answer. A TCP
// connect proves nothing here (QEMU's user network accepts the host side of a
// forwarded connection even while the guest is paused or not yet listening,
// then sends nothing), so the probe polls with a GET, each attempt bounded by
// a short timeout, until a whole response arrives: status line, headers and
// the body its Content-Length announces.
import http from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { monotonicNow, nsToMs, type Nanoseconds } from "../../clock.js";

export interface HttpProbeOptions {
  port: number;
  /** 127.0.0.1 by default: the forwards bind the loopback only. */
  host?: string;
  /** "/" by default. */
  path?: string;
  /** The status that means ready; 200 by default. Other complete answers are polled past. */
  expectedStatus?: number;
  /** How long one attempt may take, from connect to the last byte of the body; 250 ms by default. */
  attemptTimeoutMs?: number;
  /** The pause after a failed attempt before the next; 10 ms by default. */
  intervalMs?: number;
}

export interface HttpAnswer {
  /** Monotonic time at which the response's last byte was parsed. */
  atNs: Nanoseconds;
  /** Attempts made, the answering one included. */
  attempts: number;
  /** Attempts that received a complete response (the server answered them), the answering one included. */
  completeResponses: number;
  /**
   * Attempts that timed out after their request was sent. A server may still
   * answer them: QEMU's user network holds a request it cannot yet hand to a
   * booting guest and delivers it once the guest listens, even after the
   * host side was closed (or reset). Seen on Linux under TCG: all 19 of 19.
   */
  abandonedRequests: number;
  /** The polling interval and per-attempt timeout, which bound how late the answer can be noticed. */
  intervalMs: number;
  attemptTimeoutMs: number;
  status: number;
  body: string;
}

export interface HttpWaitOptions {
  /** Give up after this long; no deadline when absent (then the signal ends it). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** No complete answer before the deadline: names the URL, the attempts and the time, and what the last attempt saw. */
export class HttpProbeTimeoutError extends Error {
  override readonly name = "HttpProbeTimeoutError";
  constructor(
    readonly url: string,
    readonly attempts: number,
    readonly elapsedMs: number,
    readonly lastFailure: string | undefined,
  ) {
    super(
      `HTTP GET ${url} got no complete answer after ${attempts} attempt(s) in ${Math.round(elapsedMs)} ms` +
        (lastFailure ? ` (last attempt: ${lastFailure})` : ""),
    );
  }
}

type AttemptResult =
  | { kind: "answer"; atNs: Nanoseconds; status: number; body: string }
  /** abandoned: the request was sent and the attempt timed out, so the server may still answer it. */
  | { kind: "failed"; reason: string; abandoned: boolean };

/** More than a probe needs to see; the rest of a body is counted, not kept. */
const BODY_LIMIT_BYTES = 64 * 1024;

export class HttpProbe {
  readonly url: string;
  private readonly attemptTimeoutMs: number;
  private readonly intervalMs: number;
  private readonly expectedStatus: number;

  constructor(private readonly options: HttpProbeOptions) {
    this.url = `http://${options.host ?? "127.0.0.1"}:${options.port}${options.path ?? "/"}`;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 250;
    this.intervalMs = options.intervalMs ?? 10;
    this.expectedStatus = options.expectedStatus ?? 200;
  }

  /** Polls until the expected status arrives in a complete response; rejects at the deadline or on abort. */
  async wait(options: HttpWaitOptions = {}): Promise<HttpAnswer> {
    const startedNs = monotonicNow();
    const deadline = new AbortController();
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => deadline.abort(), options.timeoutMs);
    const stop = options.signal ? AbortSignal.any([deadline.signal, options.signal]) : deadline.signal;
    let attempts = 0;
    let completeResponses = 0;
    let abandonedRequests = 0;
    let lastFailure: string | undefined;
    try {
      while (!stop.aborted) {
        attempts++;
        const result = await this.attempt(stop);
        if (result.kind === "answer") {
          completeResponses++;
          if (result.status === this.expectedStatus) {
            return {
              atNs: result.atNs,
              attempts,
              completeResponses,
              abandonedRequests,
              intervalMs: this.intervalMs,
              attemptTimeoutMs: this.attemptTimeoutMs,
              status: result.status,
              body: result.body,
            };
          }
          lastFailure = `status ${result.status}, expected ${this.expectedStatus}`;
        } else {
          if (result.abandoned) abandonedRequests++;
          // An attempt cut short by the deadline says nothing about the server.
          if (!stop.aborted) lastFailure = result.reason;
        }
        await delay(this.intervalMs, undefined, { signal: stop }).catch(() => undefined);
      }
    } finally {
      clearTimeout(timer);
    }
    if (options.signal?.aborted && !deadline.signal.aborted) throw options.signal.reason ?? new Error(`HTTP GET ${this.url} aborted`);
    throw new HttpProbeTimeoutError(this.url, attempts, nsToMs(monotonicNow() - startedNs), lastFailure);
  }

  /** One GET on a fresh connection, settled within the attempt timeout (or at once on abort). */
  private attempt(stop: AbortSignal): Promise<AttemptResult> {
    return new Promise((resolve) => {
      let settled = false;
      let requestSent = false;
      const finish = (result: AttemptResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stop.removeEventListener("abort", onAbort);
        request.destroy();
        resolve(result);
      };
      const fail = (reason: string, timedOut = false): void => finish({ kind: "failed", reason, abandoned: timedOut && requestSent });
      const onAbort = (): void => fail("aborted");
      // The connection closes after the answer: each attempt is a fresh connect, as the guest's first client is.
      const request = http.get(this.url, { agent: false, headers: { connection: "close" } }, (response) => {
        // The time of the response's last byte: of the headers, then of each chunk of the body.
        let lastByteAtNs = monotonicNow();
        const status = response.statusCode ?? 0;
        const announced = response.headers["content-length"];
        const chunks: Buffer[] = [];
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          lastByteAtNs = monotonicNow();
          received += chunk.length;
          if (received <= BODY_LIMIT_BYTES) chunks.push(chunk);
        });
        response.on("end", () => {
          if (!response.complete) return fail("the connection closed in the middle of the response");
          if (announced === undefined) return fail(`status ${status} without a Content-Length`);
          if (received !== Number(announced)) return fail(`a body of ${received} bytes where Content-Length said ${announced}`);
          finish({ kind: "answer", atNs: lastByteAtNs, status, body: Buffer.concat(chunks).toString("utf8") });
        });
        response.on("aborted", () => fail("the connection closed in the middle of the response"));
        response.on("error", (error) => fail(error.message));
      });
      request.on("finish", () => (requestSent = true));
      request.on("error", (error: NodeJS.ErrnoException) => fail(describeError(error)));
      const timer = setTimeout(() => fail(`no complete answer within ${this.attemptTimeoutMs} ms`, true), this.attemptTimeoutMs);
      if (stop.aborted) onAbort();
      else stop.addEventListener("abort", onAbort, { once: true });
    });
  }
}

function describeError(error: NodeJS.ErrnoException): string {
  if (error.code === "ECONNREFUSED") return "connection refused";
  if (error.code === "ECONNRESET" || error.message === "socket hang up") return "the connection was closed without an answer";
  if (error.code?.startsWith("HPE_")) return `not a valid HTTP response (${error.code})`;
  return error.message;
}
