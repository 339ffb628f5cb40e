/**
 * GraphQL documents the connector sends. One page of pull requests carries their reviews, so 100 PRs
 * with reviews cost one request (REST would cost one per PR per kind). Validated against GitHub's
 * published schema in a unit test.
 */
export const PULL_REQUESTS_QUERY = `query PullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt limit }
  repository(owner: $owner, name: $name) {
    databaseId
    pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        number
        title
        state
        createdAt
        updatedAt
        mergedAt
        closedAt
        additions
        deletions
        changedFiles
        baseRefName
        headRefName
        mergeCommit { oid }
        author { login }
        reviews(first: 100) { nodes { databaseId state submittedAt author { login } } }
      }
    }
  }
}`;
