export { GITLAB_NORMALIZERS } from './normalize-gitlab';
export { gitlabProjectId, gitlabMergeRequestId, gitlabIssueId } from './common';
