// Parsers for option values. Each refusal says what was wrong and what is
// valid; commander prints it with the option's name and the tool exits with 2,
// before anything is built or started.
import { InvalidArgumentError } from "../vendor/commander.js";
import { labelProblem } from "../results/labels.js";

/** A whole number from min to max: no fractions, no exponents beyond what Number reads exactly. */
export function wholeNumber(min: number, max: number, unit = ""): (value: string) => number {
  return (value) => {
    const n = Number(value.trim() === "" ? Number.NaN : value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`It must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ""}.`);
    }
    return n;
  };
}

/** A repeatable --label: each value checked, repeats dropped. */
export function collectLabel(value: string, previous: string[] | undefined): string[] {
  const problem = labelProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return [...new Set([...(previous ?? []), value])];
}

/** A duration in seconds, fractions allowed: more than 0, at most max. */
export function seconds(max: number): (value: string) => number {
  return (value) => {
    const n = Number(value.trim() === "" ? Number.NaN : value);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`It must be a number of seconds, more than 0 and at most ${max}.`);
    return n;
  };
}

/** Any text but an empty (or blank) one: leaving the option out is how to give nothing. */
export function nonEmpty(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("It is empty; give a value.");
  return value;
}
