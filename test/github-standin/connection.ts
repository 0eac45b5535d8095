// GitHub's connections as the published schema and GraphQL's cursor
// specification define them: first/after and last/before (together too), at
// most 100 a page, both first and last refused, and cursors that name a
// position by the item's sort key and id (as GitHub's do), so that a cursor
// stays valid while other items change around it.
import { GraphQLError } from "graphql";

export const MAX_PAGE = 100;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** An item in a connection's order: by key, then id; `descending` reverses both. */
export interface Ordered<T> {
  item: T;
  key: number;
  id: string;
}

export interface OrderedView<T> {
  /** The items in order, from `start` on (a suffix shares its whole view's array). */
  readonly items: ReadonlyArray<Ordered<T>>;
  readonly start: number;
  readonly descending: boolean;
  /** How many there are, when `items` is only worked out if asked for. */
  readonly count?: number;
}

const encodeCursor = (o: { key: number; id: string }) => Buffer.from(`cursor:v2:${JSON.stringify([o.key, o.id])}`).toString("base64");

function decodeCursor(cursor: string, name: string): { key: number; id: string } {
  const text = Buffer.from(cursor, "base64").toString();
  const match = /^cursor:v2:(.*)$/.exec(text);
  const parsed: unknown = match ? JSON.parse(match[1]!) : null;
  if (!Array.isArray(parsed) || typeof parsed[0] !== "number" || typeof parsed[1] !== "string") {
    throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor for the \`${name}\` connection.`);
  }
  return { key: parsed[0], id: parsed[1] };
}

/** Negative when a comes before b in the view's order. */
function compare(a: { key: number; id: string }, b: { key: number; id: string }, descending: boolean): number {
  const order = a.key !== b.key ? a.key - b.key : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return descending ? -order : order;
}

/** The first position whose item comes after (or, with `orEqual`, at) the cursor. */
function positionAfter<T>(view: OrderedView<T>, cursor: { key: number; id: string }, orEqual: boolean): number {
  let low = view.start;
  let high = view.items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const c = compare(view.items[middle]!, cursor, view.descending);
    if (c > 0 || (orEqual && c === 0)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function checkLimit(value: number | null | undefined, argument: "first" | "last", name: string): void {
  if (value === null || value === undefined) return;
  if (value > MAX_PAGE) throw new GraphQLError(`Requesting ${value} records on the \`${name}\` connection exceeds the \`${argument}\` limit of ${MAX_PAGE} records.`);
  if (value < 0) throw new GraphQLError(`\`${argument}\` on the \`${name}\` connection cannot be less than zero.`);
}

/** The connection object graphql-js resolves: totalCount, nodes, pageInfo. */
export function connection<T>(view: OrderedView<T>, args: ConnectionArgs, toNode: (item: T) => unknown, name: string) {
  checkLimit(args.first, "first", name);
  checkLimit(args.last, "last", name);
  const hasFirst = args.first !== null && args.first !== undefined;
  const hasLast = args.last !== null && args.last !== undefined;
  if (hasFirst && hasLast) throw new GraphQLError(`Passing both \`first\` and \`last\` to paginate the \`${name}\` connection is not supported.`);
  // Worked out only when nodes or pageInfo are asked for: a count alone never needs the items.
  let range: [number, number] | undefined;
  const startEnd = (): [number, number] => {
    if (!range) {
      const start = args.after ? positionAfter(view, decodeCursor(args.after, name), false) : view.start;
      range = [start, Math.max(start, args.before ? positionAfter(view, decodeCursor(args.before, name), true) : view.items.length)];
    }
    return range;
  };
  const bounds = (): [number, number] => {
    const [start, end] = startEnd();
    if (hasFirst) return [start, Math.min(end, start + args.first!)];
    if (hasLast) return [Math.max(start, end - args.last!), end];
    throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`);
  };
  return {
    totalCount: view.count ?? view.items.length - view.start,
    get nodes() {
      const [from, to] = bounds();
      return view.items.slice(from, to).map((o) => toNode(o.item));
    },
    get pageInfo() {
      const [start, end] = startEnd();
      const [pageStart, pageEnd] = bounds();
      const first = pageEnd > pageStart ? view.items[pageStart] : undefined;
      const last = pageEnd > pageStart ? view.items[pageEnd - 1] : undefined;
      return {
        startCursor: first ? encodeCursor(first) : null,
        endCursor: last ? encodeCursor(last) : null,
        hasNextPage: hasFirst ? pageEnd < end : end < view.items.length,
        hasPreviousPage: hasLast ? pageStart > start : start > view.start,
      };
    },
  };
}

/** Items in the order (key, id), ascending or descending. */
export function orderedView<T>(items: Iterable<T>, key: (item: T) => number, id: (item: T) => string, descending: boolean): OrderedView<T> {
  const ordered = [...items].map((item) => ({ item, key: key(item), id: id(item) }));
  ordered.sort((a, b) => compare(a, b, descending));
  return { items: ordered, start: 0, descending };
}

/** The part of an ascending view whose key is at least `min`: a suffix, found by bisection, sharing the view's array. */
export function fromKey<T>(view: OrderedView<T>, min: number): OrderedView<T> {
  if (view.descending) throw new Error("fromKey needs an ascending view");
  return { items: view.items, start: positionAfter(view, { key: min, id: "" }, true), descending: false };
}
