export { GITHUB_NORMALIZERS, githubRepositoryId } from './normalize-github';
