/** The watermark of a branch: the head whose history has been published. */
export const commitsTarget = (repositoryId: number, branch: string): string => `${repositoryId}:commits:${branch}`;

/**
 * The watermark of a branch the repository did not have, as of its last push: until another push it
 * still has none, so asking again (a 404 costs a request) can wait.
 */
export const absentBranch = (pushedAt: string): string => `absent@${pushedAt}`;
export const isAbsentBranch = (cursor: string): boolean => cursor.startsWith('absent@');
