// JSON: the whole run document, in its versioned schema.
import type { Exporter } from "./exporter.js";

export const jsonExporter: Exporter = { render: (run) => JSON.stringify(run, null, 2) + "\n" };
