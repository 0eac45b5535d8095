// Walks one GraphQL connection page by page, following endCursor.
import { CommunityError } from "./errors.js";

export interface Page<N> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: N[];
}

/** The nodes of the pages after `first` (a page already read), each asked for with the previous page's endCursor. */
export async function paginateAfter<N>(first: Page<N>, fetchPage: (cursor: string, pageNumber: number) => Promise<Page<N>>): Promise<N[]> {
  const nodes: N[] = [...first.nodes];
  let page = first;
  for (let pageNumber = 2; page.pageInfo.hasNextPage; pageNumber += 1) {
    if (!page.pageInfo.endCursor) {
      // Without a cursor the next page cannot be asked for; stopping here would under-count.
      throw new CommunityError(`page ${pageNumber - 1} said more pages follow but gave no cursor`);
    }
    page = await fetchPage(page.pageInfo.endCursor, pageNumber);
    nodes.push(...page.nodes);
  }
  return nodes;
}
