#!/usr/bin/env node
// Opens the results store of <results-dir> at <epoch ms> (a start line shared
// by several of these) and saves <count> copies of the performance run in
// <run file>, as runs <id prefix>-<k>. Prints "saved" or the error. Uses the
// built store, as the CLI does.
import { readFile } from "node:fs/promises";
import { SqliteStore } from "../../dist/results/store/sqlite-store.js";

const [resultsDir, runFile, idPrefix, count, startAtMs] = process.argv.slice(2);
const document = JSON.parse(await readFile(runFile, "utf8"));
while (Date.now() < Number(startAtMs)) {
  // Spin, to be off the line within a millisecond of the others.
}
try {
  const store = await SqliteStore.open(resultsDir);
  try {
    for (let k = 0; k < Number(count); k++) {
      const runId = `${idPrefix}-${k}`;
      await store.save({ kind: "performance", runId, document: { ...document, runId } });
    }
  } finally {
    store.close();
  }
  console.log("saved");
} catch (error) {
  console.log(`failed: ${error.message}`);
}
