// Runs the built CLI as users do and collects what it printed.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { CLI_PATH } from "../paths.js";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): { child: ChildProcessWithoutNullStreams; result: Promise<CliResult> } {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, ...env }, ...(cwd ? { cwd } : {}) });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<CliResult> {
  return startCli(args, env, cwd).result;
}
