export { JIRA_NORMALIZERS, DEFAULT_JIRA_TYPES, jiraWorkItemId, jiraTeamId } from './normalize-jira';
