// The tap devices the tool makes on the host for its guests' networks
// (Firecracker has no user networking: each server guest gets a tap). A tap
// outlives the process that made it (`ip tuntap add` makes it persistent), so
// each one says whose it is: its name, bt<pid>t<n> (15 characters at most, the
// kernel's limit), and its alias, "benchmark-tool pid <pid> started <ticks>",
// the start time telling a live owner from a later process that got the same
// pid, as work directories do (work-dir.ts). The VMM removes its tap when the
// VM ends; the watchdog removes the run's taps if the tool is killed; the next
// run removes any a dead run left.
import { execFile } from "node:child_process";
import { access, constants, readdir, readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { guardNetworkDevices } from "./watchdog.js";
import { processStartTicks } from "./work-dir.js";

const execFileAsync = promisify(execFile);

const SYS_CLASS_NET = "/sys/class/net";
const TAP_NAME = /^bt(\d+)t(\d+)$/;
const ALIAS = /^benchmark-tool pid (\d+) started (\d+)$/;
/** The kernel's limit on an interface name (IFNAMSIZ 16, with the terminating NUL). */
const NAME_LIMIT = 15;
/** Taps named by this process before one is made: a name taken (by a dead run with this pid) is skipped. */
const NAME_ATTEMPTS = 10;

const ownerPrefix = `bt${process.pid}t`;
const ownerAlias = `benchmark-tool pid ${process.pid} started ${processStartTicks(process.pid) ?? 0}`;
let nextIndex = 0;

/** Where `ip` (iproute2) is: on PATH, or in the sbin directories a user's PATH often lacks. */
export async function findIpCommand(): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? "").split(":").filter(Boolean), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];
  for (const dir of dirs) {
    const candidate = `${dir}/ip`;
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** An `ip` failure, with what ip said. */
export class IpCommandError extends Error {
  override readonly name = "IpCommandError";
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`ip ${args.join(" ")} failed: ${stderr.trim() || "(no message)"}`);
  }
}

async function ip(ipCommand: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(ipCommand, args);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
    throw new IpCommandError(args, stderr);
  }
}

export interface TapRequest {
  /** The host's side of the guest's network, set on the tap: e.g. 172.16.0.1. */
  hostAddress: string;
  prefixLength: number;
  /** The `ip` command to use (findIpCommand). */
  ipCommand: string;
}

/**
 * Makes a tap device named for this process, with the host's address on it,
 * up, guarded by the watchdog; nothing of it is left if a step fails.
 * Returns its name.
 */
export async function createTapDevice(request: TapRequest): Promise<string> {
  guardNetworkDevices(ownerPrefix);
  let name: string | undefined;
  for (let attempt = 1; name === undefined; attempt++) {
    const candidate = `${ownerPrefix}${nextIndex}`;
    nextIndex = `${ownerPrefix}${nextIndex + 1}`.length > NAME_LIMIT ? 0 : nextIndex + 1;
    try {
      await ip(request.ipCommand, ["tuntap", "add", "dev", candidate, "mode", "tap"]);
      name = candidate;
    } catch (error) {
      // A dead run with this pid may have left one of that name, alive or not (the next run removes it).
      if (attempt >= NAME_ATTEMPTS || !(await exists(candidate))) throw error;
    }
  }
  try {
    await ip(request.ipCommand, ["link", "set", "dev", name, "alias", ownerAlias]);
    await ip(request.ipCommand, ["address", "add", `${request.hostAddress}/${request.prefixLength}`, "dev", name]);
    await ip(request.ipCommand, ["link", "set", "dev", name, "up"]);
  } catch (error) {
    await removeTapDevice(name, request.ipCommand).catch(() => undefined);
    throw error;
  }
  return name;
}

/** Deletes the tap (its address and route go with it); a tap already gone is no error. */
export async function removeTapDevice(name: string, ipCommand: string): Promise<void> {
  try {
    await ip(ipCommand, ["link", "delete", "dev", name]);
  } catch (error) {
    if (await exists(name)) throw error;
  }
}

/** The tool's taps on this host now, by name. */
export async function tapDevicesOfTheTool(): Promise<string[]> {
  const names = await readdir(SYS_CLASS_NET).catch(() => [] as string[]);
  const taps: string[] = [];
  for (const name of names) {
    // tun_flags: a tun or tap device, and not some other interface that happens to match the name.
    if (TAP_NAME.test(name) && (await exists(name, "tun_flags"))) taps.push(name);
  }
  return taps;
}

/** Whether the process that made the tap still runs: its alias names it (its pid and start), else its name's pid. */
async function ownerAlive(name: string): Promise<boolean> {
  const alias = (await readFile(`${SYS_CLASS_NET}/${name}/ifalias`, "utf8").catch(() => "")).trim();
  const owner = ALIAS.exec(alias);
  if (owner) return processStartTicks(Number(owner[1])) === owner[2];
  // Made, then killed before its alias was set: only the pid in its name tells.
  return processStartTicks(Number(TAP_NAME.exec(name)![1])) !== undefined;
}

/**
 * Removes the tool's taps whose owner is gone (a run killed outright), and
 * returns their names. Taps of live runs stay; without `ip` or the privilege
 * to delete, the taps stay and are returned in `kept` with why.
 */
export async function removeStaleTapDevices(): Promise<{ removed: string[]; kept: Array<{ name: string; reason: string }> }> {
  const removed: string[] = [];
  const kept: Array<{ name: string; reason: string }> = [];
  const stale: string[] = [];
  for (const name of await tapDevicesOfTheTool()) if (!(await ownerAlive(name))) stale.push(name);
  if (stale.length === 0) return { removed, kept };
  const ipCommand = await findIpCommand();
  for (const name of stale) {
    if (!ipCommand) {
      kept.push({ name, reason: "the ip command (iproute2) was not found" });
      continue;
    }
    try {
      await removeTapDevice(name, ipCommand);
      removed.push(name);
    } catch (error) {
      kept.push({ name, reason: (error as Error).message });
    }
  }
  return { removed, kept };
}

async function exists(name: string, file = ""): Promise<boolean> {
  try {
    await access(`${SYS_CLASS_NET}/${name}${file ? `/${file}` : ""}`);
    return true;
  } catch {
    return false;
  }
}
