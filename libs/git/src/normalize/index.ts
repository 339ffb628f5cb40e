export { GIT_NORMALIZERS, gitCommitId, gitLogCommitOutputs, gitRepositoryId } from './normalize-git';
