// With no Docker daemon, the Docker-built targets are skipped with a message
// that says how to fix it, the local targets are still measured, and the exit
// code says something was skipped. Through the real CLI.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_FAILED } from "../../src/cli/exit-codes.js";
import { PerformanceRunSchema, type PerformanceRun } from "../../src/results/schema.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { TEST_CACHE_DIR } from "../paths.js";

describe("performance with DOCKER_HOST pointing nowhere", () => {
  let tmp: string;
  let cli: CliResult;
  let run: PerformanceRun;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "bt-nodocker-"));
    cli = await runCli(
      ["performance", "null:qemu", "osv:qemu", "unikraft:qemu", "--accel", "tcg", "-n", "1", "-w", "0", "--output", "json", "--results-dir", tmp, "--cache-dir", TEST_CACHE_DIR],
      { DOCKER_HOST: "unix:///nonexistent.sock" },
    );
    run = PerformanceRunSchema.parse(JSON.parse(cli.stdout));
  });

  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it("skips the Docker-built targets with an actionable warning and still measures the local one", () => {
    expect(cli.code, cli.stderr).toBe(EXIT_FAILED);
    expect(run.results.map((r) => [r.target, r.vmm, r.status])).toEqual([
      ["null", "qemu", "ok"],
      ["osv", "qemu", "skipped"],
      ["unikraft", "qemu", "skipped"],
    ]);
    for (const target of ["osv", "unikraft"]) {
      expect(cli.stderr).toMatch(
        new RegExp(`^WARN\\[[^\\]]+\\] Skipping ${target} on qemu: the Docker daemon is not reachable at unix:///nonexistent\\.sock \\(.*\\)\\. Start it .*DOCKER_HOST`, "m"),
      );
    }
    expect(run.results[0]!.iterations).toHaveLength(1);
  });
});
