// Where the GitHub API is: --api-url, else what GitHub Actions sets, else github.com.
export const DEFAULT_API_URL = "https://api.github.com";

export interface Endpoints {
  /** REST base URL as octokit takes it. */
  apiUrl: string;
  /** An explicit GraphQL endpoint, when it does not follow from apiUrl. */
  graphqlUrl?: string;
}

/** --api-url wins; otherwise GitHub Actions' GITHUB_API_URL and GITHUB_GRAPHQL_URL; otherwise github.com. */
export function resolveEndpoints(apiUrlOption: string | undefined, env: NodeJS.ProcessEnv = process.env): Endpoints {
  if (apiUrlOption) return { apiUrl: apiUrlOption };
  const apiUrl = env.GITHUB_API_URL || DEFAULT_API_URL;
  const graphqlUrl = env.GITHUB_GRAPHQL_URL;
  return graphqlUrl ? { apiUrl, graphqlUrl } : { apiUrl };
}
