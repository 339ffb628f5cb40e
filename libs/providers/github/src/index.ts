export { GitHubClient } from './github-client';
export { parseGitHubCredential } from './github-credential';
export type { GitHubAppCredential } from './github-credential';
export type { ConditionalResult, GitHubClientOptions } from './github-client';
export { githubSyncJob } from './github-sync';
export type { GitHubSyncOptions } from './github-sync';
export { PULL_REQUESTS_QUERY } from './queries';
export type { GitHubActor, GitHubPullRequestPayload, GitHubRepositoryPayload, GitHubReviewNode } from './payloads';
