// A watchdog that outlives the tool by a moment: a small shell process reading
// a pipe that only the tool holds open. When the tool exits in any way, even
// SIGKILL, the kernel closes the pipe; the watchdog then kills every process
// whose command line names one of the tool's private directories (its VMMs:
// the QMP or API socket is in there) and removes those directories.
// One process per run, idle until the end: nothing is added to an iteration.
import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";

// stdin: one directory-name prefix per line. At end of file (the tool is gone),
// for each directory that still exists under a prefix: its processes, then the
// directory. One grep reads every command line at once (the directory goes to
// it on stdin, so that its own command line does not name it).
const SCRIPT = `
prefixes=
while IFS= read -r prefix; do prefixes="$prefixes$prefix
"; done
printf '%s' "$prefixes" | while IFS= read -r prefix; do
  for dir in "$prefix"*; do
    [ -d "$dir" ] || continue
    for cmdline in $(printf '%s\\n' "$dir" | grep -lFf - /proc/[0-9]*/cmdline 2>/dev/null); do
      pid=\${cmdline#/proc/}
      kill -KILL "\${pid%/cmdline}" 2>/dev/null
    done
    rm -rf -- "$dir"
  done
done
`;

let watchdog: ChildProcess | undefined;
const guarded = new Set<string>();

/**
 * Has the watchdog look after every directory whose path starts with `prefix`.
 * The first call starts it; it is in its own session, so a Ctrl-C or a closed
 * terminal that reaches the tool never reaches it.
 */
export function guardDirectories(prefix: string): void {
  if (guarded.has(prefix)) return;
  if (!watchdog) {
    watchdog = spawn("sh", ["-c", SCRIPT, "benchmark-tool-watchdog"], { stdio: ["pipe", "ignore", "ignore"], detached: true });
    // Neither the process nor its pipe keeps the tool alive.
    watchdog.unref();
    // A child's stdin pipe is a net.Socket, though typed as a plain Writable.
    (watchdog.stdin as Socket).unref();
    // Without sh there is no watchdog; the next run's clean-up (work-dir.ts) still finds what a dead run left.
    watchdog.on("error", () => undefined);
    watchdog.stdin!.on("error", () => undefined);
  }
  guarded.add(prefix);
  watchdog.stdin!.write(`${prefix}\n`);
}
