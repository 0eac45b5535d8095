// How long a user waits for `community`: one repository collected against the
// GitHub stand-in (in a process of its own) answering every request after 0,
// 50 and 150 ms, for an osv-sized repository (1,149 issues, 82 pull requests)
// and one of 40,000 issues. Each collection is set against a sequential
// baseline: the very same requests (documents and variables), replayed one
// after another through the same client. Requests and rate-limit points are
// counted and set against today's: the overview, then each connection read in
// pages of 100 (PR pages cost 3 points), then the profile. For osv, the CLI
// as a user runs it too: from the process's start to its first request
// arriving at the stand-in, from there to the last answer (the collection),
// and the whole process (start-up, collection, saving, exit), with the report
// it printed checked against the true figures (expected.ts, from the
// stand-in's own data).
// Targets: for osv at 150 ms, the first request within 150 ms of the start and
// the whole process within 1.2 s; the 40,000-issue repository in at most 1/8
// of its sequential time.
//
//   npm run bench:community -- [--rounds 3] [--latency 0,50,150] [--only osv|big]
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { median } from "simple-statistics";
import type { z } from "zod";
import { GitHubClient, newRequestStats, type QueryOptions, type RequestContext } from "../src/community/client.js";
import { collectRepository } from "../src/community/collect.js";
import { PAGE_SIZE } from "../src/community/queries/common.js";
import type { RateLimitInfo } from "../src/community/rate-limit-gate.js";
import { RequestLimiter } from "../src/community/request-limiter.js";
import { silentLogger } from "../src/log/logger.js";
import { expectedReport } from "../test/github-standin/expected.js";
import { spreadRepository, type SpreadSpec } from "../test/github-standin/fixtures.js";
import type { RecordedRequest } from "../test/github-standin/server.js";
import { STANDIN_TOKEN } from "../test/github-standin/server.js";
import { CLI_PATH, PROJECT_ROOT } from "../test/paths.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    latency: { type: "string", default: "0,50,150" },
    only: { type: "string" },
  },
});
const rounds = Number(values.rounds);
const latencies = values.latency.split(",").map(Number);

const REPOSITORIES: Array<SpreadSpec & { label: string; rounds: number }> = [
  { label: "osv-sized", owner: "cloudius-systems", name: "osv", issueCount: 1149, pullRequestCount: 82, recentCommitCount: 0, years: 11, rounds },
  // One round: its sequential baseline alone takes minutes at 150 ms.
  { label: "40,000 issues", owner: "acme", name: "big", issueCount: 40_000, pullRequestCount: 2_000, recentCommitCount: 300, years: 8, rounds: 1 },
].filter((r) => !values.only || (values.only === "osv" ? r.name === "osv" : r.name === "big"));

/** Today's collection: the overview, each connection in pages of 100 after it, the profile. */
function todays(spec: SpreadSpec): { requests: number; points: number } {
  const pages = (n: number) => Math.ceil(n / PAGE_SIZE);
  const issuePages = pages(spec.issueCount);
  const pullRequestPages = pages(spec.pullRequestCount);
  const commitPages = pages(spec.recentCommitCount);
  return { requests: 1 + issuePages + pullRequestPages + commitPages + 1, points: 1 + issuePages + 3 * pullRequestPages + commitPages };
}

interface Recorded {
  kind: "query" | "get";
  document: string;
  variables: Record<string, unknown>;
  schema: z.ZodType | Promise<z.ZodType>;
  context: RequestContext;
  options?: QueryOptions;
}

/** A client that also keeps every request it sends, to replay them. */
class RecordingClient extends GitHubClient {
  readonly recorded: Recorded[] = [];

  override query<S extends z.ZodType<{ rateLimit: RateLimitInfo }>>(document: string, variables: Record<string, unknown>, schema: S | Promise<S>, context: RequestContext, options: QueryOptions) {
    this.recorded.push({ kind: "query", document, variables, schema, context, options: { points: options.points } });
    return super.query(document, variables, schema, context, options);
  }

  override get<S extends z.ZodType>(route: string, parameters: Record<string, string>, schema: S | Promise<S>, context: RequestContext) {
    this.recorded.push({ kind: "get", document: route, variables: parameters, schema, context });
    return super.get(route, parameters, schema, context);
  }
}

/** The stand-in's data is generated from this instant, here as in its process: the true figures are worked out from the same data. */
const anchorMs = Date.now();

async function startStandin(): Promise<{ url: string; setLatency: (ms: number) => Promise<void>; takeRequests: () => Promise<RecordedRequest[]>; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/community/standin-process.ts", ...REPOSITORIES.map((r) => JSON.stringify(r))], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, STANDIN_ANCHOR_MS: String(anchorMs) },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const url = (await lines.next()).value as string;
  const ask = async (command: string) => {
    child.stdin!.write(`${command}\n`);
    return (await lines.next()).value as string;
  };
  return {
    url,
    setLatency: async (ms) => void (await ask(`latency ${ms}`)),
    takeRequests: async () => JSON.parse(await ask("requests")) as RecordedRequest[],
    stop: async () => {
      child.stdin!.end();
      await once(child, "exit");
    },
  };
}

/** The report's figures that differ from the true ones (expected.ts), by dotted path; none when exact. */
function wrongFigures(report: Record<string, unknown>, spec: SpreadSpec): string[] {
  const expected = expectedReport(spreadRepository(anchorMs, spec), Date.parse((report.recent_activity as { since: string }).since));
  const differences: string[] = [];
  const walk = (want: Record<string, unknown>, got: Record<string, unknown>, prefix: string) => {
    for (const [key, value] of Object.entries(want)) {
      if (value !== null && typeof value === "object") walk(value as Record<string, unknown>, (got[key] ?? {}) as Record<string, unknown>, `${prefix}${key}.`);
      else if (got[key] !== value) differences.push(`${prefix}${key}: ${String(got[key])}, not ${String(value)}`);
    }
  };
  walk(expected, report, "");
  return differences;
}

async function collectOnce(url: string, spec: SpreadSpec) {
  const client = new RecordingClient({ token: STANDIN_TOKEN, apiUrl: url, logger: silentLogger });
  const started = performance.now();
  const { report, stats } = await collectRepository(client, { owner: spec.owner, name: spec.name }, { since: null });
  return { ms: performance.now() - started, report, stats, recorded: client.recorded };
}

/** The same requests, one after another, through a client that lets one run at a time. */
async function replaySequentially(url: string, recorded: Recorded[]): Promise<number> {
  const client = new GitHubClient({ token: STANDIN_TOKEN, apiUrl: url, logger: silentLogger, limiter: new RequestLimiter({ maxInFlight: 1 }) });
  const started = performance.now();
  for (const r of recorded) {
    const context = { ...r.context, stats: newRequestStats() };
    if (r.kind === "get") await client.get(r.document, r.variables as Record<string, string>, r.schema, context);
    else await client.query(r.document, r.variables, r.schema as z.ZodType<{ rateLimit: RateLimitInfo }>, context, r.options!);
  }
  return performance.now() - started;
}

/** A bare `node -e 0`: what starting Node costs on this machine now, the floor under the CLI's start. */
async function bareNodeMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
  await once(child, "exit");
  return performance.now() - started;
}

interface CliRun {
  /** From spawning the process to its first request arriving at the stand-in. */
  firstRequestMs: number;
  /** From the first request's arrival to the last answer sent. */
  collectionMs: number;
  /** From spawning the process to its exit. */
  wallMs: number;
  requests: number;
  wrong: string[];
}

/** The CLI as a user runs it, start-up and saving the results included. */
async function cliOnce(standin: Awaited<ReturnType<typeof startStandin>>, spec: SpreadSpec): Promise<CliRun> {
  const resultsDir = await mkdtemp(path.join(os.tmpdir(), "community-bench-"));
  try {
    await standin.takeRequests();
    const spawnedAtMs = Date.now();
    const started = performance.now();
    const child = spawn(process.execPath, [CLI_PATH, "community", `${spec.owner}/${spec.name}`, "--api-url", standin.url, "--results-dir", resultsDir], {
      env: { ...process.env, GITHUB_TOKEN: STANDIN_TOKEN },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, "exit")) as [number];
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`the CLI exited with ${code}: ${stderr}`);
    const requests = await standin.takeRequests();
    const firstAtMs = Math.min(...requests.map((r) => r.startedAtMs));
    const lastAtMs = Math.max(...requests.map((r) => r.answeredAtMs ?? r.startedAtMs));
    return { firstRequestMs: firstAtMs - spawnedAtMs, collectionMs: lastAtMs - firstAtMs, wallMs, requests: requests.length, wrong: wrongFigures(JSON.parse(stdout), spec) };
  } finally {
    await rm(resultsDir, { recursive: true, force: true });
  }
}

const standin = await startStandin();
const rows: string[][] = [];
const verdicts: string[] = [];
const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;
try {
  for (const spec of REPOSITORIES) {
    const today = todays(spec);
    for (const latency of latencies) {
      await standin.setLatency(latency);
      await collectOnce(standin.url, spec); // warm-up: the stand-in builds its ordered views once
      const parallel: number[] = [];
      const sequential: number[] = [];
      let last: Awaited<ReturnType<typeof collectOnce>> | undefined;
      for (let round = 0; round < spec.rounds; round++) {
        last = await collectOnce(standin.url, spec);
        parallel.push(last.ms);
        sequential.push(await replaySequentially(standin.url, last.recorded));
      }
      const cli: CliRun[] = [];
      const bare: number[] = [];
      // Alternated with a bare node, so that both see the same machine.
      if (spec.name === "osv") {
        for (let round = 0; round < spec.rounds; round++) {
          bare.push(await bareNodeMs());
          cli.push(await cliOnce(standin, spec));
        }
      }
      const ratio = median(parallel) / median(sequential);
      const inProcessWrong = wrongFigures(last!.report as unknown as Record<string, unknown>, spec);
      const cliWrong = cli.flatMap((run) => run.wrong);
      rows.push([
        spec.label,
        `${latency} ms`,
        ms(parallel),
        ms(sequential),
        `1/${(1 / ratio).toFixed(1)}`,
        `${last!.stats.requests} (today ${today.requests})`,
        `${last!.stats.rateLimitPoints} (today ${today.points})`,
        cli.length ? ms(bare) : "–",
        cli.length ? ms(cli.map((r) => r.firstRequestMs)) : "–",
        cli.length ? ms(cli.map((r) => r.collectionMs)) : "–",
        cli.length ? ms(cli.map((r) => r.wallMs)) : "–",
        cli.length ? [...new Set(cli.map((r) => r.requests))].join(", ") : "–",
        inProcessWrong.length + cliWrong.length === 0 ? "exact" : "WRONG",
      ]);
      if (spec.name === "osv" && latency === 150) {
        const first = median(cli.map((r) => r.firstRequestMs));
        const wall = median(cli.map((r) => r.wallMs));
        verdicts.push(`osv-sized at 150 ms, CLI start → first request: ${first.toFixed(0)} ms (target <= 150 ms: ${first <= 150 ? "met" : "NOT met"})`);
        verdicts.push(`osv-sized at 150 ms, CLI whole process: ${wall.toFixed(0)} ms (target <= 1200 ms: ${wall <= 1200 ? "met" : "NOT met"})`);
      }
      if (spec.name === "big" && latency === 150) {
        verdicts.push(`40,000 issues at 150 ms: 1/${(1 / ratio).toFixed(1)} of the sequential time (target <= 1/8: ${ratio <= 1 / 8 ? "met" : "NOT met"})`);
      }
      if (last!.stats.requests > today.requests || last!.stats.rateLimitPoints > today.points || cli.some((r) => r.requests !== last!.stats.requests)) {
        verdicts.push(`${spec.label} at ${latency} ms: more requests or points than today, or the CLI sent another number (NOT met)`);
      }
      for (const wrong of [...new Set([...inProcessWrong, ...cliWrong])]) verdicts.push(`${spec.label} at ${latency} ms: WRONG figure ${wrong}`);
    }
  }
} finally {
  await standin.stop();
}

const header = ["Repository", "Latency", "Collection", "Sequential", "Ratio", "Requests", "Points", "node -e 0", "CLI start→1st request", "CLI collection", "CLI wall", "CLI requests", "Figures"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`community collection against the stand-in (in its own process), median of ${rounds} rounds (40,000 issues: 1 round, no CLI)`);
console.log(line(header));
for (const row of rows) console.log(line(row));
for (const verdict of verdicts) console.log(verdict);
