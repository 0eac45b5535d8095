// Keeps each performance run as one JSON document under the results directory:
// <results-dir>/performance/<runId>.json.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { PerformanceRunSchema, type PerformanceRun } from "../schema.js";

export function performanceRunPath(resultsDir: string, runId: string): string {
  return path.join(resultsDir, "performance", `${runId}.json`);
}

export async function writePerformanceRun(resultsDir: string, run: PerformanceRun): Promise<string> {
  const file = performanceRunPath(resultsDir, run.runId);
  await mkdir(path.dirname(file), { recursive: true });
  // Write then rename, so a reader never sees half a document.
  const partial = `${file}.partial`;
  await writeFile(partial, JSON.stringify(run, null, 2) + "\n");
  await rename(partial, file);
  return file;
}

export async function readPerformanceRun(file: string): Promise<PerformanceRun> {
  return PerformanceRunSchema.parse(JSON.parse(await readFile(file, "utf8")));
}
