// How a pair that stops early is marked: interrupted by the user (what was
// measured is kept) or failed, with the error's message. Performance and
// density mark their pairs alike.
import { InterruptedError } from "../vm/interrupted-error.js";

/** Marks `result` interrupted or failed; returns it. */
export function endedEarly<R extends { status: string; error?: string }>(result: R, error: unknown, signal?: AbortSignal): R {
  if (error instanceof InterruptedError || signal?.aborted) {
    result.status = "interrupted";
    result.error = "interrupted by the user";
  } else {
    result.status = "failed";
    result.error = error instanceof Error ? error.message : String(error);
  }
  return result;
}
