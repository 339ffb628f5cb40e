export { GitRepository, GitRepositoryError, type AuthoredWindow } from './git-repository';
export type { BlameRange } from './git-repository';
export { PartialClone, PartialCloneError } from './partial-clone';
export type { BlobPrefetch, PartialCloneOptions } from './partial-clone';
export { parseCommitBlock, renamedPath, CommitBlockSplitter, GitLogParseError, GIT_LOG_FORMAT } from './parse-git-log';
export type { GitLogCommit, GitSignature, GitFileStat } from './parse-git-log';
export type { GitBlamePayload, GitRepositoryPayload } from './payloads';
export { MAX_COMMIT_PAYLOAD_BYTES, commitPartSourceId, splitCommit } from './split-commit';
export type { CommitPart, CommitPayload, CommitTotals } from './split-commit';
