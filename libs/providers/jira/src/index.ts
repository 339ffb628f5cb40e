export { JiraClient, JiraResponseError, JIRA_RATE_LIMIT_HEADERS, parseJiraCredential } from './jira-client';
export type { JiraAuth, JiraClientOptions, JiraDeployment } from './jira-client';
export { jiraSyncJob, discoverFields, teamOf, scopeJql, jqlInstant, siteKey } from './jira-sync';
export type { JiraSyncOptions, SiteSettings } from './jira-sync';
export type { JiraIssuePayload } from './payloads';
