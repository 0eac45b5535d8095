// Log lines in the seed's look (logrus text formatter with full timestamps):
//   INFO[2026-11-26 17:00:32] Running benchmark for null with qemu backend
// Logs always go to stderr so that stdout carries only data (--output).

export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const LEVEL_LABEL: Record<LogLevel, string> = { debug: "DEBU", info: "INFO", warn: "WARN", error: "ERRO" };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  readonly debugEnabled: boolean;
  /**
   * A transient line, replaced by the next one (a long build's current step):
   * the caller's status line on a terminal; nothing elsewhere.
   */
  status(text: string): void;
  /** Whether status() shows anything (false when stderr is not a terminal, or nothing shows it). */
  readonly statusShown: boolean;
}

/** Where status() goes: a StatusLine (src/output/status-line.ts). */
export interface StatusSink {
  readonly enabled: boolean;
  show(text: string): void;
}

export interface LoggerOptions {
  debug?: boolean;
  /** Where lines go; stderr unless a test captures them. */
  write?: (line: string) => void;
  /** Called before each line so that a progress bar can clear itself first. */
  beforeWrite?: () => void;
  /** Shows status(); none: status() does nothing. */
  status?: StatusSink;
  now?: () => Date;
}

function pad2(n: number): string {
  return n.toString().padStart(2, "0");
}

/** logrus' "2006-01-02 15:04:05" layout, in local time as logrus prints it. */
export function formatTimestamp(date: Date): string {
  return (
    `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ` +
    `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`
  );
}

export function formatLogLine(level: LogLevel, message: string, date: Date): string {
  return `${LEVEL_LABEL[level]}[${formatTimestamp(date)}] ${message}`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const minimum = options.debug ? LEVEL_RANK.debug : LEVEL_RANK.info;
  const write = options.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const now = options.now ?? (() => new Date());
  const emit = (level: LogLevel, message: string): void => {
    if (LEVEL_RANK[level] < minimum) return;
    options.beforeWrite?.();
    for (const line of message.split("\n")) write(formatLogLine(level, line, now()));
  };
  return {
    debug: (m) => emit("debug", m),
    info: (m) => emit("info", m),
    warn: (m) => emit("warn", m),
    error: (m) => emit("error", m),
    debugEnabled: Boolean(options.debug),
    status: (text) => options.status?.show(text),
    get statusShown() {
      return Boolean(options.status?.enabled);
    },
  };
}

/** A logger that drops everything, for library callers and tests that do not look at logs. */
export const silentLogger: Logger = createLogger({ write: () => {} });
