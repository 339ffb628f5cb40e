export { GitLabClient, GITLAB_RATE_LIMIT_HEADERS } from './gitlab-client';
export type { GitLabClientOptions, GitLabPage } from './gitlab-client';
export { gitlabSyncJob, closingIssueIids, DEFAULT_INCIDENT_LABELS } from './gitlab-sync';
export type { GitLabSyncOptions } from './gitlab-sync';
export type { GitLabMergeRequestPayload, GitLabProjectPayload, GitLabIssuePayload } from './payloads';
