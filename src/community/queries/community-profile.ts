// GitHub's community profile (REST only): the health percentage and which
// community files a repository has. has_wiki comes from GraphQL instead. Its
// answer's shape is in community-profile-answer.ts.
export const COMMUNITY_PROFILE_ROUTE = "GET /repos/{owner}/{repo}/community/profile";
