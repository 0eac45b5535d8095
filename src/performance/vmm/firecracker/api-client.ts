// Firecracker's REST API over its unix socket, one connection per request.
// Success is 204 (or 200 with a body); any other answer carries
// {"fault_message": ...}, which the error shows with the endpoint.
import http from "node:http";
import net from "node:net";
import { monotonicNow, type Nanoseconds } from "../../../clock.js";
import type { ApiError, BootSource, Drive, InstanceActionInfo, Logger, MachineConfiguration, Metrics } from "./api-types.js";

/** Firecracker answered a request with something other than success. */
export class FirecrackerApiError extends Error {
  override readonly name = "FirecrackerApiError";
  constructor(
    readonly endpoint: string,
    readonly statusCode: number,
    readonly faultMessage: string,
  ) {
    super(`Firecracker rejected ${endpoint} (HTTP ${statusCode}): ${faultMessage}`);
  }
}

export interface SentRequest<T> {
  /** Monotonic time taken right before the request was written to the connected socket. */
  sentAtNs: Nanoseconds;
  result: Promise<T>;
}

export class FirecrackerApiClient {
  constructor(readonly socketPath: string) {}

  putLogger(body: Logger): Promise<void> {
    return this.put("/logger", body);
  }

  putMetrics(body: Metrics): Promise<void> {
    return this.put("/metrics", body);
  }

  putBootSource(body: BootSource): Promise<void> {
    return this.put("/boot-source", body);
  }

  putDrive(body: Drive): Promise<void> {
    return this.put(`/drives/${encodeURIComponent(body.drive_id)}`, body);
  }

  putMachineConfig(body: MachineConfiguration): Promise<void> {
    return this.put("/machine-config", body);
  }

  /**
   * Sends an action. The connection is made first, so that the returned time
   * is the request's departure and not the connection's set-up.
   */
  async action(body: InstanceActionInfo): Promise<SentRequest<void>> {
    const socket = await this.connect();
    const sentAtNs = monotonicNow();
    return { sentAtNs, result: this.send(socket, "PUT", "/actions", body).then(() => undefined) };
  }

  private async put(path: string, body: object): Promise<void> {
    await this.send(await this.connect(), "PUT", path, body);
  }

  private connect(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(this.socketPath);
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(socket);
      });
      socket.once("error", (error) =>
        reject(new Error(`could not connect to Firecracker's API socket ${this.socketPath}: ${error.message}`)),
      );
    });
  }

  private send(socket: net.Socket, method: string, path: string, body: object): Promise<string> {
    const endpoint = `${method} ${path}`;
    const payload = JSON.stringify(body);
    return new Promise<string>((resolve, reject) => {
      const request = http.request(
        {
          method,
          path,
          createConnection: () => socket,
          headers: { "Content-Type": "application/json", Accept: "application/json", "Content-Length": Buffer.byteLength(payload) },
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => (text += chunk));
          response.on("error", reject);
          response.on("end", () => {
            socket.destroy();
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(text);
            reject(new FirecrackerApiError(endpoint, status, faultMessage(text)));
          });
        },
      );
      request.on("error", (error) => {
        socket.destroy();
        reject(new Error(`${endpoint} to Firecracker failed: ${error.message}`));
      });
      request.end(payload);
    });
  }
}

function faultMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as ApiError;
    if (typeof parsed.fault_message === "string") return parsed.fault_message;
  } catch {
    // Not JSON: show what came.
  }
  return text.trim() || "(no fault_message in the answer)";
}
