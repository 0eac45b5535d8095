// JSON: the whole run document, in its versioned schema, whatever its kind.
import type { Exporter } from "./exporter.js";

export const jsonExporter: Exporter<unknown> = { render: (run) => JSON.stringify(run, null, 2) + "\n" };
