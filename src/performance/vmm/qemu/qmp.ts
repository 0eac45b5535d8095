// A QMP (QEMU Machine Protocol) endpoint. The tool listens on a unix socket and
// QEMU connects to it as a client (`-qmp unix:PATH`), so that the tool learns
// the instant QMP is up from the connection itself instead of retrying connect().
import { EventEmitter } from "node:events";
import net from "node:net";
import { monotonicNow, type Nanoseconds } from "../../../clock.js";

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  /** Monotonic time at which the event line was received. */
  receivedAtNs: Nanoseconds;
}

export class QmpError extends Error {
  override readonly name = "QmpError";
  constructor(
    readonly command: string,
    readonly errorClass: string,
    readonly description: string,
  ) {
    super(`QMP command '${command}' failed: ${errorClass}: ${description}`);
  }
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One QMP session, after the greeting. Emits "event" (QmpEvent) and "close". */
export class QmpConnection extends EventEmitter {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private buffered = "";
  private closed = false;

  constructor(private readonly socket: net.Socket) {
    super();
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.onData(chunk));
    socket.on("close", () => this.onClose());
    // A reset when QEMU exits is an ordinary end; "close" follows and reports it.
    socket.on("error", () => {});
    // The greeting reader paused the socket; take over the stream from here.
    socket.resume();
  }

  /**
   * Sends a command and resolves with its "return" value. `sentAtNs` is taken
   * right before the write, so that `cont` can start the boot clock exactly.
   */
  execute(command: string, args?: Record<string, unknown>): { sentAtNs: Nanoseconds; result: Promise<unknown> } {
    if (this.closed) throw new Error(`QMP connection closed; cannot send '${command}'`);
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve, reject) => this.pending.set(id, { command, resolve, reject }));
    const line = JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id }) + "\n";
    const sentAtNs = monotonicNow();
    this.socket.write(line);
    return { sentAtNs, result };
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    const receivedAtNs = monotonicNow();
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf("\n")) >= 0) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      if (line) this.onMessage(JSON.parse(line) as Record<string, unknown>, receivedAtNs);
    }
  }

  private onMessage(message: Record<string, unknown>, receivedAtNs: Nanoseconds): void {
    if (typeof message.event === "string") {
      const event: QmpEvent = { event: message.event, receivedAtNs };
      if (message.data && typeof message.data === "object") event.data = message.data as Record<string, unknown>;
      this.emit("event", event);
      return;
    }
    const pending = typeof message.id === "number" ? this.pending.get(message.id) : undefined;
    if (!pending) return;
    this.pending.delete(message.id as number);
    if ("error" in message) {
      const error = message.error as { class?: string; desc?: string };
      pending.reject(new QmpError(pending.command, error.class ?? "GenericError", error.desc ?? "no description"));
    } else {
      pending.resolve(message.return);
    }
  }

  private onClose(): void {
    this.closed = true;
    for (const { command, reject } of this.pending.values()) {
      reject(new Error(`QMP connection closed before '${command}' was answered`));
    }
    this.pending.clear();
    this.emit("close");
  }
}

/** Listens on a unix socket for QEMU's one QMP connection. */
export class QmpListener {
  private readonly server = net.createServer();
  private readonly connection: Promise<QmpConnection>;

  private constructor(readonly socketPath: string) {
    this.connection = new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.once("connection", (socket) => {
        // One VMM, one connection: stop listening, which also removes the socket file.
        this.server.close();
        readGreeting(socket).then(() => resolve(new QmpConnection(socket)), reject);
      });
    });
    // Without a waiter, a failed listener must not crash the process.
    this.connection.catch(() => {});
  }

  static async listen(socketPath: string): Promise<QmpListener> {
    const listener = new QmpListener(socketPath);
    await new Promise<void>((resolve, reject) => {
      listener.server.once("error", reject);
      listener.server.listen(socketPath, () => resolve());
    });
    return listener;
  }

  /**
   * Resolves once QEMU has connected and QMP is in command mode
   * (greeting received, qmp_capabilities answered).
   */
  async accept(): Promise<QmpConnection> {
    const connection = await this.connection;
    await connection.execute("qmp_capabilities").result;
    return connection;
  }

  close(): void {
    this.server.close();
  }
}

/** Waits for QMP's greeting line ({"QMP": {...}}), leaving any later bytes unread. */
function readGreeting(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer): void => {
      text += chunk.toString("utf8");
      const newline = text.indexOf("\n");
      if (newline < 0) return;
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.pause();
      const rest = text.slice(newline + 1);
      if (rest) socket.unshift(Buffer.from(rest, "utf8"));
      try {
        const greeting = JSON.parse(text.slice(0, newline)) as Record<string, unknown>;
        if (!("QMP" in greeting)) throw new Error(`unexpected QMP greeting: ${text.slice(0, newline)}`);
        resolve();
      } catch (error) {
        reject(error as Error);
      }
    };
    const onClose = (): void => reject(new Error("QEMU closed the QMP socket before its greeting"));
    socket.on("data", onData);
    socket.once("close", onClose);
  });
}
