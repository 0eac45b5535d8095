// Ctrl-C, kill, or the terminal closing abort a run: the VMMs run in their own
// process group and would not get the signal themselves, so the tool stops
// them, and keeps what was measured.
const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** The returned signal aborts on the first stop signal (onStop is called then); call release() once the run is over. */
export function abortOnStopSignals(onStop: () => void): { signal: AbortSignal; release: () => void } {
  const interrupt = new AbortController();
  const onStopSignal = (): void => {
    if (interrupt.signal.aborted) return;
    onStop();
    interrupt.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onStopSignal);
  return { signal: interrupt.signal, release: () => STOP_SIGNALS.forEach((signal) => process.off(signal, onStopSignal)) };
}
