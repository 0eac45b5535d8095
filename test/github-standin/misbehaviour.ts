// Ways a GitHub-shaped server (a proxy, a GitHub Enterprise Server, a broken
// cache) can page wrongly, applied to an answer the stand-in worked out
// correctly: every page comes back with the cursor it was asked with and says
// more follow (a server that ignores `after`/`before`), or the paged
// connections report fewer items than they hold.
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from "graphql";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** Every page in `data` says more follow and gives back the cursor its field was asked with (`after` as endCursor, `before` as startCursor). */
export function repeatCursors(document: DocumentNode, variables: Json, data: unknown): void {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const valueOf = (node: ValueNode): unknown => (node.kind === Kind.VARIABLE ? variables[node.name.value] : node.kind === Kind.STRING ? node.value : undefined);
  const walk = (selectionSet: SelectionSetNode, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(selectionSet, item));
    if (!isObject(value)) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, value);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, value);
      } else {
        const child = value[selection.alias?.value ?? selection.name.value];
        const pageInfo = isObject(child) && isObject(child.pageInfo) ? child.pageInfo : undefined;
        if (pageInfo) {
          const argument = (name: string) => {
            const found = selection.arguments?.find((a) => a.name.value === name);
            return found ? valueOf(found.value) : undefined;
          };
          const after = argument("after");
          const before = argument("before");
          if ("hasNextPage" in pageInfo) pageInfo.hasNextPage = true;
          if (typeof after === "string" && "endCursor" in pageInfo) pageInfo.endCursor = after;
          if (typeof before === "string" && "startCursor" in pageInfo) pageInfo.startCursor = before;
        }
        if (selection.selectionSet) walk(selection.selectionSet, child);
      }
    }
  };
  if (operation) walk(operation.selectionSet, data);
}

/** Every paged connection in `data` (one with both a totalCount and pageInfo) reports `fraction` of its items. */
export function understateTotals(data: unknown, fraction: number): void {
  if (Array.isArray(data)) return data.forEach((item) => understateTotals(item, fraction));
  if (!isObject(data)) return;
  if (typeof data.totalCount === "number" && isObject(data.pageInfo)) data.totalCount = Math.floor(data.totalCount * fraction);
  for (const value of Object.values(data)) understateTotals(value, fraction);
}
