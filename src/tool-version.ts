// The tool's own name and version, from package.json (recorded in results).
import { readFileSync } from "node:fs";

// src/tool-version.ts and dist/tool-version.js are both one level below the root.
const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string; version: string };

export const TOOL_NAME = packageJson.name;
export const TOOL_VERSION = packageJson.version;
