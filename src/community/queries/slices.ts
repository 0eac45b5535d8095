// One request that reads several slices of one connection (issues or pull
// requests) side by side, each under its own alias, and may count the issues
// updated since given instants, before the slices (the counts that cut issues
// into windows describe the data the slices read) or after them (a check on
// what changed while they were read: GitHub answers a query's fields in
// order). A request carries at most PAGE_SIZE nodes in all, so it costs what
// one full page does.
import { z } from "zod";
import { BothEndsPageInfoSchema, RateLimitSchema } from "./common-answers.js";
import { PAGE_INFO_SELECTION, pointsFor, RATE_LIMIT_SELECTION } from "./common.js";

export interface SliceRead {
  /** Issues only: just those updated at or after this instant, in update order. */
  since?: string | null;
  first?: number;
  after?: string | null;
  last?: number;
  before?: string | null;
}

export interface SlicedConnection<N> {
  operation: string;
  field: "issues" | "pullRequests";
  orderBy: "CREATED_AT" | "UPDATED_AT";
  fragment: { name: string; text: string; connectionsPerNode: number };
  nodeSchema: z.ZodType<N>;
}

export interface SliceAnswer<N> {
  pageInfo: z.infer<typeof BothEndsPageInfoSchema>;
  nodes: N[];
}

export interface PreparedSlices<N> {
  document: string;
  variables: Record<string, unknown>;
  schema: z.ZodType<{ rateLimit: z.infer<typeof RateLimitSchema>; repository: Record<string, unknown> }>;
  /** What GitHub will charge, by its formula. */
  points: number;
  /** The answer, slice by slice and count by count, in the order asked. */
  read(answer: { repository: Record<string, unknown> }): { slices: Array<SliceAnswer<N>>; countsBefore: number[]; countsAfter: number[] };
}

/** Instants to count the issues updated at or after (null: all issues), before or after the slices. */
export interface IssueCounts {
  before?: Array<string | null>;
  after?: Array<string | null>;
}

export function prepareSlices<N>(connection: SlicedConnection<N>, reads: SliceRead[], counts: IssueCounts = {}): PreparedSlices<N> {
  const declarations = ["$owner: String!", "$name: String!"];
  const variables: Record<string, unknown> = {};
  const fields: string[] = [];
  let connectionRequests = 0;
  const countFields = (instants: Array<string | null>, alias: string) =>
    instants.map((since, j) => {
      connectionRequests += 1;
      if (since === null) return `${alias}${j}: issues { totalCount }`;
      declarations.push(`$${alias}${j}: DateTime!`);
      variables[`${alias}${j}`] = since;
      return `${alias}${j}: issues(filterBy: { since: $${alias}${j} }) { totalCount }`;
    });
  const before = counts.before ?? [];
  const after = counts.after ?? [];
  fields.push(...countFields(before, "countBefore"));

  reads.forEach((read, k) => {
    const args: string[] = [];
    const size = read.first ?? read.last;
    if (size === undefined || (read.first !== undefined && read.last !== undefined)) throw new Error("a slice reads either first or last");
    const argument = (name: string, type: string, value: unknown) => {
      declarations.push(`$${name}${k}: ${type}`);
      variables[`${name}${k}`] = value;
      args.push(`${name}: $${name}${k}`);
    };
    if (read.first !== undefined) {
      argument("first", "Int!", read.first);
      argument("after", "String", read.after ?? null);
    } else {
      argument("last", "Int!", read.last);
      argument("before", "String", read.before ?? null);
    }
    if (read.since) {
      declarations.push(`$since${k}: DateTime!`);
      variables[`since${k}`] = read.since;
      args.push(`filterBy: { since: $since${k} }`);
    }
    args.push(`orderBy: { field: ${connection.orderBy}, direction: ASC }`);
    fields.push(`s${k}: ${connection.field}(${args.join(", ")}) { ${PAGE_INFO_SELECTION} nodes { ...${connection.fragment.name} } }`);
    connectionRequests += 1 + size * connection.fragment.connectionsPerNode;
  });

  fields.push(...countFields(after, "countAfter"));

  const document = `query ${connection.operation}(${declarations.join(", ")}) {
  ${RATE_LIMIT_SELECTION}
  repository(owner: $owner, name: $name) {
    ${fields.join("\n    ")}
  }
}
${connection.fragment.text}`;

  const repositoryShape: Record<string, z.ZodType> = {};
  const total = z.object({ totalCount: z.number().int().nonnegative() });
  before.forEach((_, j) => (repositoryShape[`countBefore${j}`] = total));
  after.forEach((_, j) => (repositoryShape[`countAfter${j}`] = total));
  reads.forEach((_, k) => (repositoryShape[`s${k}`] = z.object({ pageInfo: BothEndsPageInfoSchema, nodes: z.array(connection.nodeSchema) })));
  const schema = z.object({ rateLimit: RateLimitSchema, repository: z.object(repositoryShape) });

  return {
    document,
    variables,
    schema,
    points: pointsFor(connectionRequests),
    read: (answer) => ({
      slices: reads.map((_, k) => answer.repository[`s${k}`] as SliceAnswer<N>),
      countsBefore: before.map((_, j) => (answer.repository[`countBefore${j}`] as { totalCount: number }).totalCount),
      countsAfter: after.map((_, j) => (answer.repository[`countAfter${j}`] as { totalCount: number }).totalCount),
    }),
  };
}
