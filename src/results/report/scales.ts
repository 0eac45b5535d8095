// The scales a report's value axes can start on (report --scale), and when
// auto picks log. Apart from the charts so that the CLI can offer the choices
// without loading them.
export const SCALES = ["auto", "linear", "log"] as const;
/** auto: a log axis where the values span LOG_SCALE_SPAN or more. */
export type Scale = (typeof SCALES)[number];
/** Largest over smallest positive value from which auto picks a log axis: two orders of magnitude. */
export const LOG_SCALE_SPAN = 100;

export function startsOnLogScale(scale: Scale, values: number[]): boolean {
  if (scale !== "auto") return scale === "log";
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  return positive.length > 0 && Math.max(...positive) / Math.min(...positive) >= LOG_SCALE_SPAN;
}
