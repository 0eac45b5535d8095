// Density documents of schema version 1 recorded each VM's and each round's
// times in milliseconds (bootMs, runMs, vmmStartupMs, releaseSpreadMs,
// allReadyMs); version 2 records nanoseconds, as performance does. A version 1
// document is upgraded as it is read, from a file or a store, so that every
// reader sees one form. No zod here: reading a stored run does not load it.
import { DENSITY_SCHEMA_VERSION } from "./schema-versions.js";

const RENAMED = [
  ["vmmStartupMs", "vmmStartupNs"],
  ["bootMs", "bootNs"],
  ["runMs", "runNs"],
  ["releaseSpreadMs", "releaseSpreadNs"],
  ["allReadyMs", "allReadyNs"],
] as const;

type Fields = Record<string, unknown>;

function inNanoseconds(record: Fields): Fields {
  const upgraded: Fields = { ...record };
  for (const [msField, nsField] of RENAMED) {
    if (typeof upgraded[msField] !== "number") continue;
    upgraded[nsField] = Math.round((upgraded[msField] as number) * 1e6);
    delete upgraded[msField];
  }
  return upgraded;
}

/** A density document of version 1 in the form of the current version; anything else unchanged. */
export function upgradeDensityDocument(value: unknown): unknown {
  const document = value as { kind?: unknown; schemaVersion?: unknown; results?: unknown } | null;
  if (document?.kind !== "density" || document.schemaVersion !== 1 || !Array.isArray(document.results)) return value;
  const results = (document.results as Fields[]).map((entry) => ({
    ...entry,
    levels: Array.isArray(entry.levels)
      ? (entry.levels as Fields[]).map((level) => ({
          ...level,
          perVm: Array.isArray(level.perVm) ? (level.perVm as Fields[]).map(inNanoseconds) : level.perVm,
          rounds: Array.isArray(level.rounds) ? (level.rounds as Fields[]).map(inNanoseconds) : level.rounds,
        }))
      : entry.levels,
  }));
  return { ...document, schemaVersion: DENSITY_SCHEMA_VERSION, results };
}
