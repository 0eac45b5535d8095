// The run was stopped by the user (Ctrl-C, kill, a closed terminal): whatever
// was under way ends with this error, and what was measured before is kept.
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  constructor() {
    super("interrupted");
  }
}
