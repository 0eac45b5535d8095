// Walks one GraphQL connection page by page, following endCursor.
import { CommunityError } from "./errors.js";

export interface Page<N> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: N[];
}

export async function paginate<N>(fetchPage: (cursor: string | null, pageNumber: number) => Promise<Page<N>>, onPage: () => void): Promise<N[]> {
  const nodes: N[] = [];
  let cursor: string | null = null;
  for (let pageNumber = 1; ; pageNumber += 1) {
    const page: Page<N> = await fetchPage(cursor, pageNumber);
    nodes.push(...page.nodes);
    onPage();
    if (!page.pageInfo.hasNextPage) return nodes;
    if (!page.pageInfo.endCursor) {
      // Without a cursor the next page cannot be asked for; stopping here would under-count.
      throw new CommunityError(`page ${pageNumber} said more pages follow but gave no cursor`);
    }
    cursor = page.pageInfo.endCursor;
  }
}
