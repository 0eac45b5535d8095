// The tool's exit codes, as the README documents them.
export const EXIT_OK = 0;
/** Something failed or was skipped; the rest was still measured. */
export const EXIT_FAILED = 1;
/** Bad usage: unknown flag, target, VMM or value. */
export const EXIT_USAGE = 2;

/** Thrown for bad input that the user must fix; main prints it and exits with EXIT_USAGE. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
