// Runs the GitHub stand-in in a process of its own for the community benchmark,
// so that answering (graphql-js over tens of thousands of issues) does not
// share an event loop with the collection being measured. Serves the spread
// repositories named on the command line as JSON specs (generated from
// $STANDIN_ANCHOR_MS, so the benchmark can work out their true figures too);
// prints its URL on the first line of stdout; then answers each command read
// on stdin with one line:
//   latency <ms>   sets the latency; answers "ok"
//   requests       the requests recorded since the last time, as JSON (and forgets them)
// It exits when stdin closes.
import { createInterface } from "node:readline";
import { spreadRepository, type SpreadSpec } from "../../test/github-standin/fixtures.js";
import { startGitHubStandin } from "../../test/github-standin/server.js";

const anchorMs = Number(process.env.STANDIN_ANCHOR_MS ?? Date.now());
const specs = process.argv.slice(2).map((arg) => JSON.parse(arg) as SpreadSpec);
const standin = await startGitHubStandin({ repositories: specs.map((spec) => spreadRepository(anchorMs, spec)) });
process.stdout.write(`${standin.url}\n`);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const [command, argument] = line.trim().split(/\s+/);
  if (command === "latency") {
    standin.latencyMs = Number(argument);
    process.stdout.write("ok\n");
  } else if (command === "requests") {
    const taken = standin.requests;
    standin.requests = [];
    process.stdout.write(`${JSON.stringify(taken)}\n`);
  } else {
    process.stdout.write(`unknown command: ${line}\n`);
  }
});
lines.on("close", () => void standin.close());
