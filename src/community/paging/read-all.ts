// Runs one connection's reads to the end; every paginated read of a repository
// (issues, pull requests, commit history) goes through here. As long as
// something is left, it waits for a request slot, bundles the reads that may
// go now (bundle.ts) and sends them, several requests under way at once within
// the limiter's bound. Every page answered passes the page guard before it is
// recorded, so a connection whose pages do not advance fails after one page
// instead of looping. A failed request fails the connection once those under
// way have settled.
import type { Release } from "../request-limiter.js";
import { bundle, type Candidate, type Take } from "./bundle.js";
import { PageGuard, type PageRead } from "./page-guard.js";

/** A request's answer: its pages, to be checked, and how to record them once they are. */
export interface Answered {
  pages: PageRead[];
  record(): void;
}

export interface ReadSource<E> {
  /** What the connection holds, plural ("issues"); names it in messages. */
  readonly label: string;
  /** The nodes GitHub counted in it. */
  readonly totalCount: number;
  /** Its pages read before (the overview's first ones), checked like the others. */
  readonly opening: readonly PageRead[];
  /** Nodes not yet asked for, over all its ends (for an open-ended read, an estimate). */
  unassigned(): number;
  /** The ends that may read now. */
  candidates(): Array<Candidate<E>>;
  /** Nothing left to ask for and nothing under way. */
  done(): boolean;
  /** Sends these reads as one request in the slot given (and releases it); resolves with the answer, not yet recorded. */
  send(takes: Array<Take<E>>, slot: Release): Promise<Answered>;
}

export interface ReadAllOptions {
  /** Waits for a slot to send a request in. */
  acquire: () => Promise<Release>;
  /** The repository read, for messages. */
  repository: string;
}

export async function readAll<E>(source: ReadSource<E>, options: ReadAllOptions): Promise<void> {
  const guard = new PageGuard({ label: source.label, repository: options.repository, totalCount: source.totalCount });
  for (const page of source.opening) guard.check(page);
  const underWay = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  const next = () => bundle(source.candidates(), source.unassigned(), underWay.size === 0);
  while (!failure && !source.done()) {
    if (!next()) {
      if (underWay.size === 0) throw new Error(`internal error: the ${source.label} reads cannot go on with ${source.unassigned()} left`);
      await Promise.race(underWay);
      continue;
    }
    let slot: Release;
    try {
      slot = await options.acquire();
    } catch (error) {
      // The repository's deadline passed while waiting.
      failure ??= { error };
      break;
    }
    // Answers may have come in while waiting for the slot (or a request failed): bundle again.
    const takes = failure ? null : next();
    if (!takes) {
      slot();
      continue;
    }
    const request: Promise<void> = source
      .send(takes, slot)
      .then((answered) => {
        for (const page of answered.pages) guard.check(page);
        answered.record();
      })
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => underWay.delete(request));
    underWay.add(request);
  }
  await Promise.all(underWay);
  if (failure) throw failure.error;
}
