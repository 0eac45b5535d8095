// Runs one connection's reads to the end: as long as something is left, waits
// for a request slot, bundles the reads that may go now (bundle.ts) and sends
// them, several requests under way at once within the limiter's bound. A
// failed request fails the connection once those under way have settled.
import type { Release } from "../request-limiter.js";
import { bundle, type Candidate, type Take } from "./bundle.js";

export interface ReadSource<E> {
  /** Names the connection in messages. */
  readonly label: string;
  /** Nodes not yet asked for, over all its ends (for an open-ended window, an estimate). */
  unassigned(): number;
  /** The ends that may read now. */
  candidates(): Array<Candidate<E>>;
  /** Nothing left to ask for and nothing under way. */
  done(): boolean;
  /** Sends these reads as one request in the slot given, and records the answer. */
  send(takes: Array<Take<E>>, slot: Release): Promise<void>;
}

export async function readAll<E>(source: ReadSource<E>, acquire: () => Promise<Release>): Promise<void> {
  const underWay = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const next = () => bundle(source.candidates(), source.unassigned(), underWay.size === 0);
  while (!failure && !source.done()) {
    if (!next()) {
      if (underWay.size === 0) throw new Error(`internal error: the ${source.label} reads cannot go on with ${source.unassigned()} left`);
      await Promise.race(underWay);
      continue;
    }
    const slot = await acquire();
    // Answers may have come in while waiting for the slot: bundle again.
    const takes = next();
    if (!takes) {
      slot();
      continue;
    }
    const request: Promise<void> = source
      .send(takes, slot)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => underWay.delete(request));
    underWay.add(request);
  }
  await Promise.all(underWay);
  if (failure) throw failure.error;
}
