// The --output formats by name, apart from their renderers (format.ts), so
// that the option is checked without loading them.
export const OUTPUT_FORMAT_NAMES = ["json", "table", "csv"] as const;

export type OutputFormat = (typeof OUTPUT_FORMAT_NAMES)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMAT_NAMES as readonly string[]).includes(value);
}
