// A server guest's life after its boot (the http workload): a short warm-up
// load, the measured load, and the stop request after which the guest prints
// the count of requests it answered and powers off. Every step is bounded;
// the count is checked against what the host counted, so that a throughput
// figure is only kept when the guest confirms it.
import type { Nanoseconds } from "../../clock.js";
import { monotonicNow } from "../../clock.js";
import type { MemoryReport } from "../measure/memory-monitor.js";
import { checkServedCount, SERVED_LINE_PATTERN } from "../load/served-count.js";
import { requestStop, StopRequestError } from "../load/stop-request.js";
import { describeWrkLoad, runWrk, type WrkResult } from "../load/wrk-load.js";
import type { FirstAnswerProbe } from "../probes/first-answer-probe.js";
import type { ServingMeasurement } from "../types.js";
import type { Deadline } from "../vm/deadline.js";
import type { Vm } from "../vm/vm.js";

/** The start of the first answer's body that the results keep: enough to see what the guest said. */
const FIRST_ANSWER_BODY_CHARS = 256;

/** How a server guest is loaded (performance --load-duration, --connections). */
export interface ServingSettings {
  durationSeconds: number;
  connections: number;
  threads: number;
  /** A load before the measured one, not counted: connections opened, caches warm. */
  warmupSeconds: number;
  /** Host CPUs the load generator runs on (the tool's own, with --pin). */
  generatorCpus?: string;
  /** The load generator's name and version, as the results record it. */
  generator: string;
}

/** What the load was sent after and what the guest served, up to its stop request; the figures come once the guest has ended. */
export interface ServedLoad {
  load: WrkResult;
  loadStartNs: Nanoseconds;
  loadEndNs: Nanoseconds;
  /** Requests of the warm-up load answered, and its connections (each may have had one more in flight). */
  warmup?: { requests: number; connections: number };
  /** The guest's "BENCHMARK_TOOL_SERVED <n>" line, once it printed it. */
  servedLine: () => RegExpExecArray | undefined;
}

/** Extra time an iteration of a server may take beyond --timeout: its loads, and its stop request with the guest's end. */
export function servingTimeMs(settings: ServingSettings): number {
  const STOP_AND_END_MS = 10_000;
  return (settings.warmupSeconds + settings.durationSeconds) * 1000 + STOP_AND_END_MS;
}

/** Loads the guest, which has answered once, then asks it to stop. */
export async function loadServer(vm: Vm, settings: ServingSettings, deadline: Deadline): Promise<ServedLoad> {
  const { host, port } = vm.service!;
  const url = `http://${host}:${port}/`;
  const load = (durationSeconds: number): Promise<WrkResult> =>
    deadline.race(
      runWrk({
        url,
        durationSeconds,
        connections: settings.connections,
        threads: settings.threads,
        signal: deadline.signal,
        ...(settings.generatorCpus ? { pinCpus: settings.generatorCpus } : {}),
      }),
      () => `the load on ${url} did not end`,
    );
  const warmup = settings.warmupSeconds > 0 ? await load(settings.warmupSeconds) : undefined;
  const loadStartNs = monotonicNow();
  const measured = await load(settings.durationSeconds);
  const loadEndNs = monotonicNow();
  // Listening for the count before asking for it: it comes right after the answer.
  const servedLine = vm.console.watchLine(SERVED_LINE_PATTERN);
  try {
    await deadline.race(requestStop({ host, port, signal: deadline.signal }), () => `the stop request to ${url}quit was not answered`);
  } catch (error) {
    // A guest that stopped answering during the load shows here first: wrk counts no error for a request never answered.
    if (error instanceof StopRequestError) throw new StopRequestError(`${error.message}, after a load in which wrk counted ${describeWrkLoad(measured)}`);
    throw error;
  }
  return {
    load: measured,
    loadStartNs,
    loadEndNs,
    ...(warmup ? { warmup: { requests: warmup.requests, connections: settings.connections } } : {}),
    servedLine,
  };
}

/**
 * The iteration's serving figures, once the guest has ended and its memory
 * was read. Throws when the guest's own count disagrees with the host's: its
 * throughput figure could not be trusted then.
 */
export function servingMeasurement(
  served: ServedLoad,
  firstAnswer: { atNs: Nanoseconds; probe: FirstAnswerProbe },
  startNs: Nanoseconds,
  memory: MemoryReport,
  settings: ServingSettings,
): ServingMeasurement {
  const answer = firstAnswer.probe.answer!;
  const line = served.servedLine();
  if (!line) throw new Error("the guest ended without printing how many requests it served (BENCHMARK_TOOL_SERVED <n>) after its stop request");
  const servedByGuest = Number(line[1]);
  const toolResponses = answer.completeResponses + (served.warmup?.requests ?? 0);
  const verdict = checkServedCount(servedByGuest, {
    generatorRequests: served.load.requests,
    generatorConnections: settings.connections,
    toolResponses,
    toolAbandonedRequests: answer.abandonedRequests + (served.warmup?.connections ?? 0),
  });
  if (!verdict.agrees) throw new Error(`the throughput cannot be trusted: ${verdict.explanation}`);
  const { load } = served;
  const us = (value: number): number => Math.round(value * 1000);
  return {
    firstAnswerNs: Number(firstAnswer.atNs - startNs),
    probeIntervalMs: answer.intervalMs,
    probeAttempts: answer.attempts,
    firstAnswer: { status: answer.status, body: answer.body.slice(0, FIRST_ANSWER_BODY_CHARS) },
    load: {
      generator: settings.generator,
      durationNs: us(load.durationUs),
      connections: settings.connections,
      threads: settings.threads,
      requests: load.requests,
      requestsPerSecond: load.requestsPerSecond,
      errors: load.errors,
      latencyNs: { p50: us(load.latencyUs.p50), p90: us(load.latencyUs.p90), p99: us(load.latencyUs.p99), max: us(load.latencyUs.max) },
    },
    ...memoryWhileServing(memory, served.loadStartNs, served.loadEndNs),
    servedByGuest,
    toolRequests: toolResponses,
  };
}

/** The VMM's RSS at the last sample before the load, and the most any sample held while it ran. */
function memoryWhileServing(memory: MemoryReport, startNs: Nanoseconds, endNs: Nanoseconds): Pick<ServingMeasurement, "idleRssBytes" | "loadPeakRssBytes"> {
  let idleRssBytes = 0;
  let loadPeakRssBytes = 0;
  memory.sampleTimesNs.forEach((atNs, k) => {
    const rss = memory.rssBytes[k]!;
    if (atNs <= startNs) idleRssBytes = rss;
    else if (atNs <= endNs) loadPeakRssBytes = Math.max(loadPeakRssBytes, rss);
  });
  return { idleRssBytes, loadPeakRssBytes: Math.max(loadPeakRssBytes, idleRssBytes) };
}
