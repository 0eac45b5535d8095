// Run labels (`performance --label`): names a user gives a run, such as the
// unikernel's commit or `baseline`, by which the run can be found again. They
// are kept to a character set that needs no quoting in a shell or a CI file.
export const MAX_LABEL_LENGTH = 100;

const LABEL_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:/=@+-]{0,${MAX_LABEL_LENGTH - 1}}$`);

/** Words that already name runs, so a label spelled the same could never be reached. */
const RESERVED = new Set(["latest"]);

/** Why `label` is not a valid label, or undefined when it is. */
export function labelProblem(label: string): string | undefined {
  if (RESERVED.has(label)) return `"${label}" already names a run (the newest), so it cannot be a label`;
  if (!LABEL_PATTERN.test(label)) {
    return `"${label}" is not a label: use 1 to ${MAX_LABEL_LENGTH} letters, digits and . _ : / = @ + -, starting with a letter or digit (e.g. baseline, commit=3f9a1c2, runner=kvm-large)`;
  }
  return undefined;
}
