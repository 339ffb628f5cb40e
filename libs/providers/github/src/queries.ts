/**
 * GraphQL documents the connector sends. One page of pull requests carries their reviews, so 100 PRs
 * with reviews cost one request (REST would cost one per PR per kind). Validated against GitHub's
 * published schema in a unit test.
 */
const REVIEW_FIELDS = 'databaseId state submittedAt author { login }';

/** A page of pull requests, newest update first, each with its first 100 reviews. */
const PULL_REQUEST_PAGE = `pullRequests(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
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
        reviews(first: 100) { pageInfo { hasNextPage endCursor } nodes { ${REVIEW_FIELDS} } }
        labels(first: 20) { nodes { name } }
        reviewRequests(first: 20) { nodes { requestedReviewer { __typename ... on User { login } } } }
        closingIssuesReferences(first: 10) { nodes { number repository { databaseId } } }
      }
    }`;

export const PULL_REQUESTS_QUERY = `query PullRequests($owner: String!, $name: String!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt limit }
  repository(owner: $owner, name: $name) {
    databaseId
    ${PULL_REQUEST_PAGE}
  }
}`;

/**
 * The first page of pull requests of `count` repositories in one request (aliases r0, r1, …): an org
 * of many small repositories would otherwise pay a request per repository for a page a third full.
 */
export function pullRequestsOfRepositoriesQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, index) => index);
  const variables = indexes.map((index) => `$owner${index}: String!, $name${index}: String!`).join(', ');
  const repositories = indexes
    .map(
      (index) =>
        `  r${index}: repository(owner: $owner${index}, name: $name${index}) {\n    ${PULL_REQUEST_PAGE.replace('after: $after, ', '')}\n  }`,
    )
    .join('\n');
  return `query PullRequestsOfRepositories($first: Int!, ${variables}) {\n  rateLimit { cost remaining resetAt limit }\n${repositories}\n}`;
}

const DEPLOYMENT_FIELDS = `id databaseId environment state task commitOid createdAt updatedAt creator { login }
        statuses(first: 20) { nodes { state createdAt } }`;

/**
 * Deployments newest first with their statuses (a deployment rarely has more than a handful), so a
 * page of 100 deployments and their outcomes costs one request.
 */
export const DEPLOYMENTS_QUERY = `query Deployments($owner: String!, $name: String!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt limit }
  repository(owner: $owner, name: $name) {
    deployments(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${DEPLOYMENT_FIELDS} }
    }
  }
}`;

/** Deployments still in flight at the last sync, re-read by node id: one request, however old they are. */
export const DEPLOYMENTS_BY_ID_QUERY = `query DeploymentsById($ids: [ID!]!) {
  rateLimit { cost remaining resetAt limit }
  nodes(ids: $ids) { ... on Deployment { ${DEPLOYMENT_FIELDS} } }
}`;

const TIMELINE_ITEM_TYPES =
  'CLOSED_EVENT, REOPENED_EVENT, ASSIGNED_EVENT, UNASSIGNED_EVENT, LABELED_EVENT, UNLABELED_EVENT';
const TIMELINE_FIELDS = `__typename
            ... on ClosedEvent { createdAt actor { login } stateReason }
            ... on ReopenedEvent { createdAt actor { login } }
            ... on AssignedEvent { createdAt actor { login } }
            ... on UnassignedEvent { createdAt actor { login } }
            ... on LabeledEvent { createdAt actor { login } label { name } }
            ... on UnlabeledEvent { createdAt actor { login } label { name } }`;

/**
 * Issues updated since the watermark, newest update first, each with the timeline events that are
 * its state changes (closed, reopened, assigned, labelled): one request per 50 issues.
 */
export const ISSUES_QUERY = `query Issues($owner: String!, $name: String!, $first: Int!, $after: String, $since: DateTime) {
  rateLimit { cost remaining resetAt limit }
  repository(owner: $owner, name: $name) {
    issues(first: $first, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }, filterBy: { since: $since }) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        databaseId
        number
        title
        body
        state
        stateReason
        createdAt
        updatedAt
        closedAt
        author { login }
        labels(first: 20) { nodes { name } }
        assignees(first: 10) { nodes { login } }
        timelineItems(first: 100, itemTypes: [${TIMELINE_ITEM_TYPES}]) {
          pageInfo { hasNextPage endCursor }
          nodes { ${TIMELINE_FIELDS} }
        }
      }
    }
  }
}`;

/**
 * A commit's history newest first, 100 commits a request, for integrations that may not clone: each
 * commit with its parents (to tell what a published head reaches), both signatures with their own
 * offsets (GitTimestamp is not converted to UTC) and its line totals. `head` is the branch's head
 * when the walk began, so pages stay one history while the branch moves.
 */
export const COMMIT_HISTORY_QUERY = `query CommitHistory($owner: String!, $name: String!, $head: GitObjectID!, $first: Int!, $after: String) {
  rateLimit { cost remaining resetAt limit }
  repository(owner: $owner, name: $name) {
    object(oid: $head) {
      ... on Commit {
        history(first: $first, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes {
            oid
            message
            additions
            deletions
            changedFilesIfAvailable
            parents(first: 100) { nodes { oid } }
            author { name email date }
            committer { name email date }
          }
        }
      }
    }
  }
}`;

/** The reviews of one PR past its first 100 (a page of PULL_REQUESTS_QUERY carries the first 100). */
export const PULL_REQUEST_REVIEWS_QUERY = `query PullRequestReviews($id: ID!, $after: String) {
  rateLimit { cost remaining resetAt limit }
  node(id: $id) {
    ... on PullRequest {
      reviews(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${REVIEW_FIELDS} } }
    }
  }
}`;

/** The state changes of one issue past its first 100 (a page of ISSUES_QUERY carries the first 100). */
export const ISSUE_TIMELINE_QUERY = `query IssueTimeline($id: ID!, $after: String) {
  rateLimit { cost remaining resetAt limit }
  node(id: $id) {
    ... on Issue {
      timelineItems(first: 100, after: $after, itemTypes: [${TIMELINE_ITEM_TYPES}]) {
        pageInfo { hasNextPage endCursor }
        nodes { ${TIMELINE_FIELDS} }
      }
    }
  }
}`;

const CHECK_RUN_PAGE = `checkRuns(first: 100, after: $after, filterBy: { checkType: LATEST }) {
        pageInfo { hasNextPage endCursor }
        nodes { databaseId name status conclusion startedAt completedAt }
      }`;

/**
 * The jobs of completed workflow runs, by the runs' node ids: an Actions run's check suite holds a
 * check run per job (the latest attempt's), so 50 runs' jobs cost one request instead of 50.
 */
export const WORKFLOW_RUN_JOBS_QUERY = `query WorkflowRunJobs($ids: [ID!]!, $after: String) {
  rateLimit { cost remaining resetAt limit }
  nodes(ids: $ids) {
    ... on WorkflowRun {
      databaseId
      checkSuite { id ${CHECK_RUN_PAGE} }
    }
  }
}`;

/** A run's jobs past its first 100, through its check suite. */
export const CHECK_SUITE_RUNS_QUERY = `query CheckSuiteRuns($id: ID!, $after: String) {
  rateLimit { cost remaining resetAt limit }
  node(id: $id) { ... on CheckSuite { ${CHECK_RUN_PAGE} } }
}`;
