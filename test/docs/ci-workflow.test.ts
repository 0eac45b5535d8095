// docs/ci.md stays true to the tool: its GitHub Actions workflow parses, has
// the matrix, caches, mirror and gate it describes, every shell script in it
// is valid bash, and every option it gives benchmark-tool exists.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { PROJECT_ROOT } from "../paths.js";

const execFileAsync = promisify(execFile);
const doc = await readFile(path.join(PROJECT_ROOT, "docs", "ci.md"), "utf8");

function codeBlocks(language: string): string[] {
  return [...doc.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  env: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: Step[]; strategy?: { matrix: { include: Array<Record<string, unknown>> } } }>;
}

const [workflowText, ...moreYaml] = codeBlocks("yaml");
const workflow = parse(workflowText!) as Workflow;
const scripts = [...Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((s) => (s.run ? [s.run] : []))), ...codeBlocks("bash"), ...codeBlocks("sh")];

describe("docs/ci.md", () => {
  it("has one workflow that runs a matrix of hosted and self-hosted KVM runners on main and on pull requests", () => {
    expect(moreYaml).toEqual([]);
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    const matrix = workflow.jobs.benchmark!.strategy!.matrix.include;
    expect(matrix.length).toBeGreaterThanOrEqual(3);
    expect(matrix.filter((m) => m.hosted === true).length).toBeGreaterThanOrEqual(2);
    expect(matrix.some((m) => m.hosted === false && JSON.stringify(m.runner).includes("kvm") && m["sources-mirror"])).toBe(true);
    expect(workflow.jobs.benchmark!.env).toHaveProperty("BENCHMARK_TOOL_SOURCES_MIRROR");
    for (const variable of ["MYSQL_ADDRESS", "MYSQL_PORT", "MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DATABASE"]) expect(workflow.env[variable]).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
  });

  it("carries the Docker layer cache and the tool's cache, and gates pull requests", () => {
    const steps = workflow.jobs.benchmark!.steps;
    const uses = steps.map((s) => s.uses ?? "");
    expect(uses).toEqual(expect.arrayContaining(["actions/cache/restore@v4", "actions/cache/save@v4", "actions/cache@v4"]));
    expect(steps.find((s) => s.uses === "actions/cache/restore@v4")!.with!.path).toContain("docker-root.tar");
    expect(steps.find((s) => s.uses === "actions/cache@v4")!.with!.path).toBe("~/.cache/benchmark-tool");
    const gate = steps.find((s) => s.run?.includes("--fail-on-regression"))!;
    expect(gate.if).toBe("github.event_name == 'pull_request'");
    expect(gate.run).toMatch(/benchmark-tool compare "\$baseline" "\$RUN_ID" --fail-on-regression \$\{\{ matrix\.threshold \}\} --output markdown/);
  });

  it("has shell scripts that bash parses", async () => {
    expect(scripts.length).toBeGreaterThan(8);
    for (const script of scripts) {
      // GitHub replaces ${{ ... }} before bash sees the script.
      const plain = script.replace(/\$\{\{[^}]*\}\}/g, "x");
      await expect(execFileAsync("bash", ["-n", "-c", plain]), plain).resolves.toBeDefined();
    }
  });

  it("gives benchmark-tool only options that exist", async () => {
    const used = new Map<string, Set<string>>();
    for (const script of scripts) {
      for (const line of script.replace(/\\\n\s*/g, " ").split("\n")) {
        const invocation = /(?:benchmark-tool|node dist\/cli\/main\.js) ([a-z]+)(.*)/.exec(line);
        if (!invocation) continue;
        const [, command, rest] = invocation;
        const ownPart = rest!.split(/\s(?:\||>|;|&&|\|\|)\s/)[0]!;
        const options = used.get(command!) ?? new Set<string>();
        for (const option of ownPart.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)) options.add(option[0]);
        used.set(command!, options);
      }
    }
    expect([...used.keys()].sort()).toEqual(["compare", "history", "performance", "report"]);
    for (const [command, options] of used) {
      const help = (await runCli([command, "--help"])).stdout;
      for (const option of options) expect(help, `${command} ${option}`).toMatch(new RegExp(`(^|[\\s,])${option}(\\s|$)`, "m"));
    }
  });
});
