// Small pieces every VMM backend's launch uses.
import { once } from "node:events";
import { setTimeout as delay } from "node:timers/promises";
import type { VmmExit } from "./types.js";

/**
 * How long to wait for a VMM's exit status when talking to it failed: the
 * closed socket is the symptom, the exit and its stderr are the cause.
 */
export const EXIT_EXPLAIN_MS = 1000;

export function sleep(ms: number): Promise<undefined> {
  return delay(ms, undefined);
}

/** Rejects when the signal aborts; the caller's race decides what the abort means. */
export async function aborted(signal: AbortSignal): Promise<never> {
  if (!signal.aborted) await once(signal, "abort");
  throw new Error("launch aborted");
}

export function describeExit(exit: VmmExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}
