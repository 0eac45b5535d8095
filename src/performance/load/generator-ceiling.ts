// The load generator's ceiling on this host: the same load, from the same
// generator, against the same http workload run on the host itself, with no
// VMM and no emulated network in between. A guest that serves close to it is
// limited by the generator (or the host), not by itself: the results say so.
import type { Logger } from "../../log/logger.js";
import { buildWorkload } from "../targets/local/workload.js";
import { HostHttpServer } from "./host-http-server.js";
import { runWrk } from "./wrk-load.js";

/** The serving settings the ceiling is measured with (those of the run's guests). */
export interface CeilingLoad {
  durationSeconds: number;
  connections: number;
  threads: number;
  generator: string;
  /** Where the guests' VMMs run (--pin): the host server runs there too. */
  serverCpus?: string;
  /** Where the generator runs (the tool's CPUs with --pin). */
  generatorCpus?: string;
}

export interface GeneratorCeiling {
  generator: string;
  requestsPerSecond: number;
  requests: number;
  durationNs: number;
  latencyNs: { p50: number; p99: number };
}

export async function measureGeneratorCeiling(load: CeilingLoad, cacheDir: string, log: Logger, signal?: AbortSignal): Promise<GeneratorCeiling> {
  const binaryPath = await buildWorkload("http", { cacheDir, log, ...(signal ? { signal } : {}) });
  const server = await HostHttpServer.start({ binaryPath, ...(load.serverCpus ? { pinCpus: load.serverCpus } : {}) });
  try {
    const result = await runWrk({
      url: `http://127.0.0.1:${server.port}/`,
      durationSeconds: load.durationSeconds,
      connections: load.connections,
      threads: load.threads,
      ...(load.generatorCpus ? { pinCpus: load.generatorCpus } : {}),
      ...(signal ? { signal } : {}),
    });
    await server.stop();
    return {
      generator: load.generator,
      requestsPerSecond: result.requestsPerSecond,
      requests: result.requests,
      durationNs: Math.round(result.durationUs * 1000),
      latencyNs: { p50: Math.round(result.latencyUs.p50 * 1000), p99: Math.round(result.latencyUs.p99 * 1000) },
    };
  } finally {
    server.kill();
  }
}
