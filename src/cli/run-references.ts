// Run references (an id, a unique prefix, `latest`) that match nothing or too
// much are the user's to fix: a usage error, not a failure.
import { RunNotFoundError } from "../results/store/sqlite-store.js";
import { UsageError } from "./exit-codes.js";

/** Runs fn, turning a run reference that matches nothing (or too much) into a usage error. */
export async function withRunReferences<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RunNotFoundError) throw new UsageError(error.message);
    throw error;
  }
}
