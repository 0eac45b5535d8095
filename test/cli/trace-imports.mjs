// Loaded with `node --import`: reports every module the process loads, one
// "module-loaded <url>" line on stderr each (test/cli/startup-imports.test.ts).
import { register } from "node:module";

register("./trace-imports-hooks.mjs", import.meta.url);
