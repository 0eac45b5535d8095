// Runs the external tools a local build needs, with errors that name the command.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

const STDERR_TAIL_LINES = 15;

export interface CommandOptions {
  cwd?: string;
  signal?: AbortSignal;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/** Runs `file` with `args`; on failure the error says which command failed and ends with its stderr. */
export async function runCommand(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandOutput> {
  try {
    const running = execFileAsync(file, [...args], {
      cwd: options.cwd,
      signal: options.signal,
      maxBuffer: 64 * 1024 * 1024,
      encoding: "utf8",
    });
    // Nothing to read: a command that reads its standard input (git pack-objects --all) sees its end, not a pipe held open.
    running.child.stdin?.end();
    const { stdout, stderr } = await running;
    return { stdout, stderr };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string; code?: number | string };
    const command = [file, ...args].join(" ");
    if (failure.code === "ENOENT") {
      throw new Error(`Command not found: ${file} (running: ${command})`, { cause: error });
    }
    if (failure.name === "AbortError") throw error;
    const tail = (failure.stderr ?? "").trimEnd().split("\n").slice(-STDERR_TAIL_LINES).join("\n");
    const status = typeof failure.code === "number" ? `exit code ${failure.code}` : String(failure.code ?? failure.message);
    throw new Error(`Command failed (${status}): ${command}${tail ? `\n${tail}` : ""}`, { cause: error });
  }
}

/** Whether `file` runs at all (e.g. `gcc --version`). */
export async function commandWorks(file: string, args: readonly string[]): Promise<boolean> {
  try {
    await runCommand(file, args);
    return true;
  } catch {
    return false;
  }
}
