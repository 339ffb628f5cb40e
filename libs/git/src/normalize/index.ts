export { GIT_NORMALIZERS, gitCommitId, gitRepositoryId } from './normalize-git';
