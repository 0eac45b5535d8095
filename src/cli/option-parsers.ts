// Parsers for option values that commander does not check itself; a bad value
// throws InvalidArgumentError, which ends the command with exit code 2.
import { InvalidArgumentError } from "commander";
import { labelProblem } from "../results/labels.js";

export function integer(min: number, what: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${what} must be a whole number of at least ${min}.`);
    return n;
  };
}

/** A repeatable --label: each value checked, repeats dropped. */
export function collectLabel(value: string, previous: string[] | undefined): string[] {
  const problem = labelProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return [...new Set([...(previous ?? []), value])];
}
