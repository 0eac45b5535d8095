// VMM processes run in their own process group, so that a Ctrl-C on the
// terminal reaches only the tool, which then stops them in order and keeps the
// results (a VMM that got the SIGINT itself would end mid-iteration and look
// like a failure). The price: they would outlive a crashing tool, so every live
// one is killed when the tool's process exits; if it is killed outright
// (SIGKILL), the watchdog (../watchdog.ts) kills them.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";

/** util-linux's taskset, on every Debian and Ubuntu system. */
export const TASKSET = "taskset";

const live = new Set<ChildProcessByStdio<null, Readable, Readable>>();

function killAll(): void {
  for (const child of live) child.kill("SIGKILL");
}

/**
 * Starts a VMM. With `pinCpus`, through taskset, which sets the CPU affinity
 * and then execs the VMM in the same process: every thread the VMM creates
 * stays on those CPUs, and the pid is the VMM's.
 */
export function spawnVmm(binary: string, args: readonly string[], pinCpus?: string): ChildProcessByStdio<null, Readable, Readable> {
  if (live.size === 0) process.once("exit", killAll);
  const [command, commandArgs] = pinCpus ? [TASKSET, ["-c", pinCpus, binary, ...args]] : [binary, args];
  const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  live.add(child);
  const forget = (): void => {
    live.delete(child);
    if (live.size === 0) process.off("exit", killAll);
  };
  child.once("exit", forget);
  child.once("error", forget);
  return child;
}
