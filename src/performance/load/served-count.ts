// The guest's own count of the requests it answered, printed by the http
// workload on its stop request ("BENCHMARK_TOOL_SERVED <n>", the stop request
// not counted), set against what the tool and the load generator counted: an
// independent check that a throughput figure is real.

/** The console line; its group is the count. */
export const SERVED_LINE_PATTERN = /BENCHMARK_TOOL_SERVED (\d+)/;

/** The count in a console line (or text) that holds the served line; undefined when there is none. */
export function parseServedCount(text: string): number | undefined {
  const match = SERVED_LINE_PATTERN.exec(text);
  return match ? Number(match[1]) : undefined;
}

export interface ServedCountExpectation {
  /** Responses the load generator received within its duration. */
  generatorRequests: number;
  /** The generator's connections: each may have had one request in flight when the load ended, answered but not counted by the generator. */
  generatorConnections: number;
  /** Complete answers the tool itself received (the readiness probe's, warm-up requests'), the stop request not included. */
  toolResponses: number;
  /** Requests the tool sent and gave up on (a probe attempt that timed out): the server may have answered them. */
  toolAbandonedRequests?: number;
}

export interface ServedCountVerdict {
  agrees: boolean;
  /** The range of counts that agree with what was counted on the host. */
  least: number;
  most: number;
  /** Why it disagrees, in words, when it does. */
  explanation?: string;
}

/**
 * Whether the guest's count agrees with the host's: at least every response the
 * host received, at most those plus one in-flight request per generator
 * connection and the requests the tool abandoned.
 */
export function checkServedCount(served: number, expected: ServedCountExpectation): ServedCountVerdict {
  const least = expected.generatorRequests + expected.toolResponses;
  const most = least + expected.generatorConnections + (expected.toolAbandonedRequests ?? 0);
  if (served >= least && served <= most) return { agrees: true, least, most };
  const range = least === most ? String(least) : `${least} to ${most}`;
  return {
    agrees: false,
    least,
    most,
    explanation:
      `the guest says it answered ${served} request(s), where the host counted ${range} ` +
      `(${expected.generatorRequests} from the load generator, ${expected.toolResponses} from the tool` +
      `${most > least ? `, up to ${most - least} more in flight or abandoned` : ""})`,
  };
}
