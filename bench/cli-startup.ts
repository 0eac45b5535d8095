// How long the CLI takes to start where users and scripts wait on it:
// --version, --help, history and export of a stored run, each against a bare
// `node -e 0`, alternated in one run so that all see the same machine. Wall
// time and peak memory (GNU time's maximum resident set) per command, as
// medians. Target: each within 2× a bare Node start-up.
//
//   npm run bench:startup -- [--rounds 20]
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import { writeCommunityRun, writePerformanceRun } from "../src/results/store/run-files.js";
import { communityReport, noisy, seededRandom, syntheticCommunityRun, syntheticPerformanceRun } from "../test/results/fixtures.js";
import { CLI_PATH } from "../test/paths.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "20" } } });
const rounds = Number(values.rounds);
const TARGET_RATIO = 2;

const resultsDir = await mkdtemp(path.join(os.tmpdir(), "cli-startup-"));
const random = seededRandom(7);
await writePerformanceRun(resultsDir, syntheticPerformanceRun("20261126T151541Z-4c6f", "2026-11-26T15:15:41.000Z", [{ target: "null", vmm: "qemu-microvm", bootMs: noisy(random, 10, 3, 1) }]));
await writeCommunityRun(resultsDir, syntheticCommunityRun("20261126T100000Z-beef", [communityReport("cloudius-systems", "osv", 3910)]));

const commands: Array<{ label: string; args: string[] }> = [
  { label: "node -e 0", args: ["-e", "0"] },
  { label: "--version", args: [CLI_PATH, "--version"] },
  { label: "--help", args: [CLI_PATH, "--help"] },
  { label: "history", args: [CLI_PATH, "history", "--results-dir", resultsDir] },
  { label: "export <run>", args: [CLI_PATH, "export", "20261126T15", "--results-dir", resultsDir] },
];

/** Wall time (ms) and peak resident memory (MiB) of one run, through GNU time. */
function runOnce(args: string[]): { ms: number; peakMiB: number } {
  const started = process.hrtime.bigint();
  const result = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited with ${result.status}: ${result.stderr}`);
  const peakKiB = Number(result.stderr.trim().split("\n").at(-1));
  return { ms, peakMiB: peakKiB / 1024 };
}

try {
  // The first history imports the JSON files into the store; scripts' later calls read the store.
  runOnce([CLI_PATH, "history", "--results-dir", resultsDir]);
  for (const c of commands) runOnce(c.args); // warm the file cache
  const samples = new Map(commands.map((c) => [c.label, [] as Array<{ ms: number; peakMiB: number }>]));
  for (let round = 0; round < rounds; round++) {
    for (const c of commands) samples.get(c.label)!.push(runOnce(c.args));
  }
  const bare = median(samples.get("node -e 0")!.map((s) => s.ms));
  console.log(`CLI start-up, ${rounds} rounds alternated (${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)})`);
  console.log(`${"command".padEnd(14)}${"median".padStart(10)}${"min".padStart(10)}${"peak RSS".padStart(11)}${"× node".padStart(9)}`);
  for (const c of commands) {
    const s = samples.get(c.label)!;
    const ms = median(s.map((x) => x.ms));
    const ratio = ms / bare;
    console.log(
      `${c.label.padEnd(14)}${`${ms.toFixed(1)} ms`.padStart(10)}${`${Math.min(...s.map((x) => x.ms)).toFixed(1)} ms`.padStart(10)}${`${median(s.map((x) => x.peakMiB)).toFixed(1)} MiB`.padStart(11)}${ratio.toFixed(2).padStart(9)}`,
    );
  }
  const over = commands.slice(1).filter((c) => median(samples.get(c.label)!.map((x) => x.ms)) > TARGET_RATIO * bare);
  console.log(`target: each within ${TARGET_RATIO}× node -e 0: ${over.length === 0 ? "met" : `NOT met (${over.map((c) => c.label).join(", ")})`}`);
} finally {
  await rm(resultsDir, { recursive: true, force: true });
}
