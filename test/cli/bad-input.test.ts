// Bad input, for every option and argument of every subcommand: out of range,
// malformed, empty, conflicting, or a path that cannot be used. Each must be
// answered before anything starts (no VMM, no directory, no request), with
// exit code 2 and a message saying what is wrong and what is valid.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCommunityRun, writePerformanceRun } from "../../src/results/store/run-files.js";
import { runCli } from "../helpers/cli.js";
import { communityReport, noisy, seededRandom, syntheticCommunityRun, syntheticPerformanceRun } from "../results/fixtures.js";
import { QEMU_WRAPPER, TEST_CACHE_DIR } from "../paths.js";

let tmp: string;
let resultsDir: string;
let privateTmp: string;
let qemuBoots: string;
let notExecutable: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "bt-bad-input-"));
  privateTmp = path.join(tmp, "tmp");
  await mkdir(privateTmp);
  // Runs for compare, report and export to refuse things about.
  resultsDir = path.join(tmp, "results");
  const random = seededRandom(5);
  await writePerformanceRun(resultsDir, syntheticPerformanceRun("20261126T100000Z-aaaa", "2026-11-26T10:00:00.000Z", [{ target: "null", vmm: "qemu", bootMs: noisy(random, 5, 3, 1) }]));
  await writeCommunityRun(resultsDir, syntheticCommunityRun("20261126T110000Z-cccc", [communityReport("acme", "tiny", 3)]));
  // QEMU notes every boot it starts there.
  qemuBoots = path.join(tmp, "qemu-boots.log");
  notExecutable = path.join(tmp, "not-executable");
  await writeFile(notExecutable, "");
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

type Case = [args: string[], message: RegExp, env?: NodeJS.ProcessEnv];

const perf = (...args: string[]): string[] => ["performance", ...args];

const PERFORMANCE: Case[] = [
  [perf("-n", "0"), /--iterations <n>' argument '0' is invalid\. It must be a whole number from 1 to 10000/],
  [perf("-n", "-3"), /--iterations <n>' argument '-3' is invalid\. It must be a whole number from 1 to 10000/],
  [perf("-n", "2.5"), /--iterations <n>' argument '2\.5' is invalid/],
  [perf("-n", "100000000"), /--iterations <n>' argument '100000000' is invalid\. It must be a whole number from 1 to 10000/],
  [perf("-n", "ten"), /--iterations <n>' argument 'ten' is invalid/],
  [perf("-n", ""), /--iterations <n>' argument '' is invalid/],
  [perf("-w", "-1"), /--warmup <n>' argument '-1' is invalid\. It must be a whole number from 0 to 1000/],
  [perf("-w", "0.5"), /--warmup <n>' argument '0\.5' is invalid/],
  [perf("-w", "1e6"), /--warmup <n>' argument '1e6' is invalid/],
  [perf("--vcpus", "0"), /--vcpus <n>' argument '0' is invalid\. It must be a whole number from 1 to 255/],
  [perf("--vcpus", "1.5"), /--vcpus <n>' argument '1\.5' is invalid/],
  [perf("--vcpus", "4096"), /--vcpus <n>' argument '4096' is invalid/],
  [perf("--memory", "0"), /--memory <MiB>' argument '0' is invalid\. It must be a whole number from 1 to 4194304 MiB/],
  [perf("--memory", "-64"), /--memory <MiB>' argument '-64' is invalid/],
  [perf("--memory", "64.5"), /--memory <MiB>' argument '64\.5' is invalid/],
  [perf("--memory", "99999999"), /--memory <MiB>' argument '99999999' is invalid/],
  [perf("null", "--memory", "4194304"), /--memory 4194304 MiB is more than this host has \(\d+ MiB\)/],
  // Too small for the guest: refused, not left to hang until the timeout.
  [perf("null", "--memory", "1"), /--memory 1 MiB is too little: null needs at least 2 MiB\. Give --memory 2 or more, or leave it out/],
  [perf("linux", "null", "--memory", "64"), /--memory 64 MiB is too little: linux needs at least 76 MiB\. Give --memory 76 or more/],
  [perf("--timeout", "0"), /--timeout <seconds>' argument '0' is invalid\. It must be a number of seconds, more than 0 and at most 86400/],
  [perf("--timeout", "-5"), /--timeout <seconds>' argument '-5' is invalid/],
  [perf("--timeout", "1e12"), /--timeout <seconds>' argument '1e12' is invalid/],
  [perf("--timeout", "soon"), /--timeout <seconds>' argument 'soon' is invalid/],
  [perf("--accel", "xen"), /argument 'xen' is invalid\. Allowed choices are auto, kvm, tcg/],
  [perf("--workload", "nope"), /argument 'nope' is invalid\. Allowed choices are hello, alloc, http/],
  [perf("--output", "xml"), /argument 'xml' is invalid\. Allowed choices are table, json, csv, markdown/],
  [perf("--vmm", "xen"), /unknown VMM 'xen'; valid VMMs: qemu, qemu-microvm, firecracker/],
  [perf("--vmm", ""), /unknown VMM ''; valid VMMs: qemu, qemu-microvm, firecracker/],
  [perf("--vmm", "qemu", "qemu"), /--vmm names 'qemu' twice; name each VMM once/],
  [perf("null:qemu", "--cpu", "no-such-cpu"), /--cpu: qemu knows no CPU model 'no-such-cpu'; valid models include host, max, .*-cpu help` lists all \d+/],
  [perf("null:qemu", "--cpu", ""), /--cpu <model>' argument '' is invalid\. It is empty/],
  [perf("null:qemu", "--cpu", "host", "--accel", "tcg"), /--cpu host needs KVM, and --accel tcg was given; use --cpu max/],
  [perf("null:firecracker", "--cpu", "max"), /--cpu applies to QEMU only, and none of the selected pairs runs on QEMU/],
  [perf(""), /'' is not a target: use <unikernel>\[:<vmm>\]/],
  [perf("osv-unknown"), /unknown target 'osv-unknown'; valid targets: null \(benchmark-tool\/null\), linux \(torvalds\/linux\)/],
  [perf("null:xen"), /null does not support VMM 'xen'; it supports: qemu, qemu-microvm, firecracker/],
  [perf("null", "null"), /null:qemu is named twice \('null' and 'null'\); name each target once/],
  [perf("null:qemu", "benchmark-tool/null:qemu"), /null:qemu is named twice \('null:qemu' and 'benchmark-tool\/null:qemu'\)/],
  [perf("null", "--workload", "alloc"), /null runs only the hello workload/],
  [perf("null", "--workload", "http"), /null is not available for the 'http' workload: it has no network/],
  [perf("linux", "--load-duration", "5"), /--load-duration and --connections apply only with --workload http, not with --workload hello/],
  [perf("linux", "--connections", "4", "--workload", "alloc"), /--load-duration and --connections apply only with --workload http, not with --workload alloc/],
  [perf("--load-duration", "0"), /--load-duration <seconds>' argument '0' is invalid\. It must be a whole number from 1 to 3600/],
  [perf("--connections", "1.5"), /--connections <n>' argument '1\.5' is invalid\. It must be a whole number from 1 to 1000/],
  [perf("osv:qemu", "--workload", "http"), /--workload http needs a load generator: the load generator wrk \(\/nonexistent\/wrk\) was not found: install it with 'sudo apt-get install wrk'/, { WRK_BIN: "/nonexistent/wrk" }],
  [perf("null", "--boot-args", ""), /--boot-args <args>' argument '' is invalid\. It is empty/],
  [perf("null", "--results-dir", ""), /--results-dir <dir>' argument '' is invalid\. It is empty/],
  [perf("null", "--results-dir", "/etc/hostname/results"), /--results-dir \/etc\/hostname\/results: \/etc\/hostname is a file, not a directory/],
  [perf("null", "--results-dir", "/proc/benchmark-results"), /--results-dir \/proc\/benchmark-results \(to be created in \/proc\) is not writable: .*; choose a directory you can write to/],
  [perf("null", "--cache-dir", ""), /--cache-dir <dir>' argument '' is invalid\. It is empty/],
  [perf("null", "--cache-dir", "/etc/hostname/cache"), /--cache-dir \/etc\/hostname\/cache: \/etc\/hostname is a file, not a directory/],
  [perf("null", "--firecracker-bin", ""), /--firecracker-bin <path>' argument '' is invalid\. It is empty/],
  [perf("null", "--firecracker-bin", "/nonexistent/firecracker"), /--firecracker-bin \/nonexistent\/firecracker does not exist; give the path of the executable/],
  [perf("null", "--firecracker-bin", "/tmp"), /--firecracker-bin \/tmp is not a file/],
  [perf("null", "--sources-mirror", ""), /--sources-mirror <dir>' argument '' is invalid\. It is empty/],
  [perf("null", "--sources-mirror", "{tmp}/missing/mirror"), /the sources mirror \S+\/missing\/mirror does not exist \(--sources-mirror or \$BENCHMARK_TOOL_SOURCES_MIRROR\): give a directory laid out as <host>\/<path>/],
  [perf("null", "--db-url", "not a url"), /--db-url "not a url" is not a URL; use mysql:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/],
  [perf("null", "--db-url", "postgres://u:p@h/db"), /--db-url must start with mysql:\/\//],
  [perf("null", "--mysql-export"), /--mysql-export needs MYSQL_ADDRESS, MYSQL_USER, MYSQL_PASSWORD, MYSQL_DATABASE to be set/, { MYSQL_ADDRESS: "", MYSQL_USER: "", MYSQL_PASSWORD: "", MYSQL_DATABASE: "" }],
  [perf("--no-such-option"), /unknown option '--no-such-option'/],
];

const density = (...args: string[]): string[] => ["density", ...args];

const DENSITY: Case[] = [
  [density("null", "--vms", "0"), /--vms <list>' argument '0' is invalid\. It must be a comma-separated list of VM counts, each a whole number from 1 to 1024, e\.g\. 1,2,4,8/],
  [density("null", "--vms", "1,,4"), /--vms <list>' argument '1,,4' is invalid\. It must be a comma-separated list of VM counts/],
  [density("null", "--vms", "2,x"), /--vms <list>' argument '2,x' is invalid/],
  [density("null", "--vms", "1,5000"), /--vms <list>' argument '1,5000' is invalid\. It must be a comma-separated list of VM counts, each a whole number from 1 to 1024/],
  [density("null", "--vms", "2,1,2"), /--vms <list>' argument '2,1,2' is invalid\. It names a VM count twice/],
  [density("null", "--rounds", "0"), /--rounds <r>' argument '0' is invalid\. It must be a whole number from 1 to 1000/],
  [density("null", "--max-vms", "0", "--until-failure"), /--max-vms <n>' argument '0' is invalid\. It must be a whole number from 1 to 1024/],
  [density("null", "--max-vms", "8"), /--max-vms applies only with --until-failure; without it, --vms lists the levels/],
  [density("null", "--until-failure", "--vms", "1,2"), /--vms and --until-failure exclude each other/],
  [density("null", "--memory-margin", "-1"), /--memory-margin <MiB>' argument '-1' is invalid\. It must be a whole number from 0/],
  [density("osv-unknown"), /unknown target 'osv-unknown'; valid targets: null/],
  [density("null", "--accel", "xen"), /argument 'xen' is invalid\. Allowed choices are auto, kvm, tcg/],
  [density("null", "--memory", "1"), /--memory 1 MiB is too little: null needs at least 2 MiB/],
  [density("null", "--output", "xml"), /argument 'xml' is invalid\. Allowed choices are table, json, csv, markdown/],
];

const COMMUNITY: Case[] = [
  [["community"], /missing required argument 'repository_link'/],
  [["community", ""], /"" is not a GitHub repository link; expected https:\/\/github\.com\/OWNER\/REPO/],
  [["community", "acme/tiny", "not-a-link"], /"not-a-link" is not a GitHub repository link/],
  [["community", "acme/tiny", "https://github.com/ACME/tiny.git"], /acme\/tiny is named twice \("acme\/tiny" and "https:\/\/github\.com\/ACME\/tiny\.git"\); name each repository once/i],
  [["community", "acme/tiny", "--concurrency", "0"], /--concurrency must be a whole number from 1 to 20, not "0"/],
  [["community", "acme/tiny", "--concurrency", "21"], /--concurrency must be a whole number from 1 to 20, not "21"/],
  [["community", "acme/tiny", "--concurrency", "1.5"], /--concurrency must be a whole number from 1 to 20, not "1\.5"/],
  [["community", "acme/tiny", "--since", "last week"], /--since "last week" is not a date; use ISO 8601/],
  [["community", "acme/tiny", "--since", "2999-01-01"], /--since 2999-01-01 is in the future/],
  [["community", "acme/tiny", "--output", "xml"], /--output must be one of json, table, csv, not "xml"/],
  [["community", "acme/tiny", "--api-url", ""], /--api-url "" is not an http\(s\) URL/],
  [["community", "acme/tiny", "--api-url", "ftp://example.com"], /--api-url "ftp:\/\/example\.com" is not an http\(s\) URL; e\.g\. https:\/\/api\.github\.com/],
  [["community", "acme/tiny", "--results-dir", "/etc/hostname/results"], /--results-dir \/etc\/hostname\/results: \/etc\/hostname is a file, not a directory/],
  [["community", "acme/tiny", "--results-dir", ""], /--results-dir <dir>' argument '' is invalid\. It is empty/],
  [["community", "acme/tiny", "--db-url", "nope"], /--db-url "nope" is not a URL/],
  [["community", "acme/tiny"], /GITHUB_TOKEN is not set/, { GITHUB_TOKEN: "" }],
  [["community", "acme/tiny", "--request-timeout", "0"], /--request-timeout <seconds>' argument '0' is invalid\. It must be a number of seconds, more than 0 and at most 300/],
  [["community", "acme/tiny", "--request-timeout", "-5"], /--request-timeout <seconds>' argument '-5' is invalid/],
  [["community", "acme/tiny", "--request-timeout", "soon"], /--request-timeout <seconds>' argument 'soon' is invalid/],
  [["community", "acme/tiny", "--request-timeout", "7200"], /--request-timeout <seconds>' argument '7200' is invalid\. It must be a number of seconds, more than 0 and at most 300/],
  [["community", "acme/tiny", "--repository-timeout", ""], /--repository-timeout <seconds>' argument '' is invalid/],
  [["community", "acme/tiny", "--repository-timeout", "0"], /--repository-timeout <seconds>' argument '0' is invalid\. It must be a number of seconds, more than 0 and at most 86400/],
  [["community", "acme/tiny", "--repository-timeout", "1e9"], /--repository-timeout <seconds>' argument '1e9' is invalid\. It must be a number of seconds, more than 0 and at most 86400/],
];

const RESULTS: Case[] = [
  [["targets", "--output", "xml"], /argument 'xml' is invalid\. Allowed choices are table, json/],
  [["history", "--results-dir", "{tmp}/missing/results"], /--results-dir \S+\/missing\/results does not exist; no run was stored there yet/],
  [["history", "--results-dir", "/etc/hostname"], /--results-dir \/etc\/hostname is a file, not a directory/],
  [["history", "--kind", "other"], /argument 'other' is invalid\. Allowed choices are performance, community/],
  [["history", "--output", "xml"], /argument 'xml' is invalid\. Allowed choices are table, json/],
  [["compare", "", "latest"], /value '' is invalid for argument 'runA'\. It is empty/],
  [["compare", "latest"], /missing required argument 'runB'/],
  [["compare", "latest", "latest"], /'latest' and 'latest' are the same run, 20261126T100000Z-aaaa; compare two different runs/],
  [["compare", "latest", "nosuchrun"], /no performance run or label "nosuchrun" in .*benchmark-tool\.db; `benchmark-tool history` lists them/],
  [["compare", "latest", "20261126T110000Z-cccc"], /no performance run or label "20261126T110000Z-cccc"/],
  [["compare", "latest", "x", "--output", "xml"], /argument 'xml' is invalid\. Allowed choices are table, markdown, csv, json/],
  [["report", ""], /a run reference is empty/],
  [["report", "nosuchrun", "-o", "{tmp}/r.html"], /no run or label "nosuchrun" in/],
  [["report", "latest", "-o", ""], /--output <file>' argument '' is invalid\. It is empty/],
  [["report", "latest", "-o", "{tmp}/missing/report.html"], /--output \S+\/missing\/report\.html: the directory \S+\/missing does not exist/],
  [["report", "latest", "-o", "{tmp}"], /--output .* is a directory; give the path of a file to write/],
  [["export", ""], /value '' is invalid for argument 'run'\. It is empty/],
  [["export", "nosuchrun"], /no run or label "nosuchrun" in/],
  [["export", "latest", "--format", "xml"], /argument 'xml' is invalid\. Allowed choices are json, csv, markdown, table/],
  [["export", "latest", "--db-url", "postgres://u:p@h/db"], /--db-url must start with mysql:\/\//],
];

/** Every path or value that needs the test's directories, filled in. */
function resolveArgs(args: string[]): string[] {
  const withDirs = args.map((a) => a.replace("{tmp}", tmp));
  const command = withDirs[0]!;
  const takesResultsDir = ["performance", "density", "community", "history", "compare", "report", "export"].includes(command) && !withDirs.includes("--results-dir") && !withDirs.includes("--db-url");
  const takesCacheDir = (command === "performance" || command === "density") && !withDirs.includes("--cache-dir");
  return [...withDirs, ...(takesResultsDir ? ["--results-dir", resultsDir] : []), ...(takesCacheDir ? ["--cache-dir", TEST_CACHE_DIR] : [])];
}

describe.concurrent.each([
  ["performance", PERFORMANCE],
  ["density", DENSITY],
  ["community", COMMUNITY],
  ["targets, history, compare, report, export", RESULTS],
] as const)("bad input to %s", (_name, cases) => {
  it.each(cases)("%j exits 2 before anything starts", async (args, message, env = {}) => {
    const cli = await runCli(resolveArgs(args), { TMPDIR: privateTmp, QEMU_BIN: QEMU_WRAPPER, QEMU_BOOTS_LOG: qemuBoots, GITHUB_TOKEN: "not-used", ...env });
    expect(cli.stderr).toMatch(message);
    expect(cli.code, cli.stderr).toBe(2);
    expect(cli.stdout).toBe("");
  });
});

describe("after all the bad input", () => {
  it("no VMM booted, no private directory was made, nothing was stored", async () => {
    await expect(readFile(qemuBoots, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
    expect(await readdir(privateTmp)).toEqual([]);
    expect((await readdir(path.join(resultsDir, "performance"))).sort()).toEqual(["20261126T100000Z-aaaa.json"]);
    expect(await readdir(path.join(resultsDir, "community"))).toEqual(["20261126T110000Z-cccc.json"]);
    expect(await readdir(resultsDir)).not.toContain("density");
    expect(await readdir(tmp)).not.toContain("r.html");
    expect(await readdir(tmp)).not.toContain("missing");
  });
});
