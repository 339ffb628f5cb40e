import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A commit as GitHub's API describes it, read from a fixture repository by git itself. */
export interface HistoryCommit {
  oid: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  /** Lines against the first parent (0 for a merge here; the connector ignores a merge's lines). */
  additions: number;
  deletions: number;
  changedFiles: number;
  /** Per file, as REST's commit lists them: a binary file has no patch and no line counts. */
  files: { filename: string; additions: number; deletions: number; binary: boolean }[];
}

const FIELD = '\x1f';
const RECORD = '\x1e';

async function git(directory: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', ['--git-dir', directory, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The head of `branch`, or null when the repository has no such branch (GitHub: 404 Branch not found). */
export async function branchHead(directory: string, branch: string): Promise<string | null> {
  try {
    return (await git(directory, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`])).trim();
  } catch {
    return null;
  }
}

/**
 * The history of `oid` in git log's default order (GitHub's), each commit with its numstat. %aI/%cI
 * keep each signer's offset, as GitHub's GitTimestamp does.
 */
export async function commitHistory(directory: string, oid: string): Promise<HistoryCommit[]> {
  const format = [RECORD + '%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B' + FIELD].join(FIELD);
  let text: string;
  try {
    text = await git(directory, ['log', '--no-renames', '--numstat', `--format=${format}`, oid]);
  } catch {
    return [];
  }
  return text
    .split(RECORD)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const [oid = '', parents = '', an = '', ae = '', ad = '', cn = '', ce = '', cd = '', message = '', stats = ''] =
        block.split(FIELD);
      const files = stats
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const [added = '0', deleted = '0', ...name] = line.split('\t');
          const binary = added === '-';
          return {
            filename: name.join('\t'),
            additions: binary ? 0 : Number(added),
            deletions: binary ? 0 : Number(deleted),
            binary,
          };
        });
      return {
        oid,
        parents: parents.split(' ').filter(Boolean),
        message: message.replace(/\n$/, ''),
        author: { name: an, email: ae, date: ad },
        committer: { name: cn, email: ce, date: cd },
        additions: files.reduce((sum, file) => sum + file.additions, 0),
        deletions: files.reduce((sum, file) => sum + file.deletions, 0),
        changedFiles: files.length,
        files,
      };
    });
}
