// The host a run was measured on, in a few words, for the report's list of runs.
import type { RunHost } from "../schema.js";

export function describeHost(host: RunHost): string {
  return `${host.hostname ? `${host.hostname}: ` : ""}${host.cpuModel}, ${host.cores} cores, ${host.kernel}`;
}
