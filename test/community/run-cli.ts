// Runs the built CLI's community subcommand against a stand-in, asynchronously
// (the stand-in lives in the test's own event loop).
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CLI_PATH } from "../paths.js";
import { STANDIN_TOKEN } from "../github-standin/server.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  startedAtMs: number;
  finishedAtMs: number;
}

export async function runCommunity(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const startedAtMs = Date.now();
  const baseEnv: Record<string, string | undefined> = { ...process.env, GITHUB_TOKEN: STANDIN_TOKEN, GITHUB_API_URL: undefined, GITHUB_GRAPHQL_URL: undefined };
  const merged = Object.fromEntries(Object.entries({ ...baseEnv, ...env }).filter((e): e is [string, string] => e[1] !== undefined));
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_PATH, "community", ...args], { env: merged, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr, startedAtMs, finishedAtMs: Date.now() });
    });
  });
}

/** The seed's output is one pretty-printed object after another. */
export function parseReports(stdout: string): Array<Record<string, any>> {
  return stdout
    .split(/^}$/m)
    .filter((chunk) => chunk.trim() !== "")
    .map((chunk) => JSON.parse(chunk + "}"));
}

export async function temporaryResultsDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "community-results-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
