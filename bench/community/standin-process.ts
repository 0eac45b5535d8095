// Runs the GitHub stand-in in a process of its own for the community benchmark,
// so that answering (graphql-js over tens of thousands of issues) does not
// share an event loop with the collection being measured. Serves the spread
// repositories named on the command line as JSON specs; prints its URL on the
// first line of stdout; sets the latency from each line read on stdin; exits
// when stdin closes.
import { createInterface } from "node:readline";
import { spreadRepository, type SpreadSpec } from "../../test/github-standin/fixtures.js";
import { startGitHubStandin } from "../../test/github-standin/server.js";

const anchorMs = Number(process.env.STANDIN_ANCHOR_MS ?? Date.now());
const specs = process.argv.slice(2).map((arg) => JSON.parse(arg) as SpreadSpec);
const standin = await startGitHubStandin({ repositories: specs.map((spec) => spreadRepository(anchorMs, spec)) });
process.stdout.write(`${standin.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  standin.latencyMs = Number(line);
  process.stdout.write(`latency ${standin.latencyMs}\n`);
});
lines.on("close", () => void standin.close());
