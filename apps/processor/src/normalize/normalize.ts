import { GIT_NORMALIZERS } from '@dev-health/git/normalize';
import { GITHUB_NORMALIZERS } from '@dev-health/github/normalize';
import { GITLAB_NORMALIZERS } from '@dev-health/gitlab/normalize';
import { JIRA_NORMALIZERS } from '@dev-health/jira/normalize';
import { createNormalize } from '@dev-health/normalize';
import { SYNTHETIC_NORMALIZERS } from '@dev-health/synthetic/normalize';

/** Every provider's normalizers. A new provider adds its table here (and nothing else in the processor). */
export const normalize = createNormalize({
  git: GIT_NORMALIZERS,
  github: GITHUB_NORMALIZERS,
  gitlab: GITLAB_NORMALIZERS,
  jira: JIRA_NORMALIZERS,
  synthetic: SYNTHETIC_NORMALIZERS,
});
