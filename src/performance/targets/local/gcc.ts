// The host gcc, which builds the null guest and the workloads.
import { commandWorks, runCommand } from "./run-command.js";
import type { Availability } from "../types.js";

/** gcc's version banner, part of every cache key (another compiler, another binary). */
export async function gccVersion(): Promise<string> {
  const { stdout } = await runCommand("gcc", ["--version"]);
  return stdout.split("\n")[0] ?? stdout;
}

export async function checkGcc(): Promise<Availability> {
  if (await commandWorks("gcc", ["--version"])) return { available: true };
  return { available: false, reason: "gcc is not installed; install it with: apt-get install gcc" };
}
