import { execFile, spawn } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { processEnvironment } from '@dev-health/config';
import { promisify } from 'node:util';
import { CommitBlockSplitter, GIT_LOG_FORMAT, parseCommitBlock, type GitLogCommit } from './parse-git-log';

const execFileAsync = promisify(execFile);
const MAX_BUFFER = 64 * 1024 * 1024;

/** [startMs, endMs) of author time: a backfill's window. */
export interface AuthoredWindow {
  startMs: number;
  endMs: number;
}

const inWindow = (seconds: number, window: AuthoredWindow) =>
  seconds * 1000 >= window.startMs && seconds * 1000 < window.endMs;

export class GitRepositoryError extends Error {
  override readonly name = 'GitRepositoryError';
}

export interface BlameRange {
  commitSha: string;
  authorEmail: string;
  authorName: string;
  /** Seconds since the epoch. */
  authorTime: number;
  lineStart: number;
  lineCount: number;
}

/** A local git repository, read through the git command line (the one adapter for local git). */
export class GitRepository {
  private constructor(
    readonly root: string,
    /** Added to git's environment (e.g. the credentials a partial clone's lazy blob fetches need). */
    private readonly environment: Readonly<Record<string, string>> = {},
  ) {}

  /** A bare repository (a clone cache) at `gitDirectory`, its git commands run with `environment` added. */
  static bare(gitDirectory: string, environment: Readonly<Record<string, string>>): GitRepository {
    return new GitRepository(path.resolve(gitDirectory), environment);
  }

  private get env(): Record<string, string | undefined> {
    return { ...processEnvironment(), ...this.environment };
  }

  /** Opens `directory`, failing clearly when it does not exist or is not a git work tree. */
  static async open(directory: string): Promise<GitRepository> {
    const absolute = path.resolve(directory);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new GitRepositoryError(`repository path does not exist: ${absolute}`);
    if (!info.isDirectory()) throw new GitRepositoryError(`repository path is not a directory: ${absolute}`);
    try {
      const { stdout } = await execFileAsync('git', ['-C', absolute, 'rev-parse', '--show-toplevel'], {
        maxBuffer: MAX_BUFFER,
      });
      return new GitRepository(await realpath(stdout.trim()));
    } catch {
      throw new GitRepositoryError(`not a git repository: ${absolute}`);
    }
  }

  private async git(args: string[]): Promise<string> {
    const { stdout } = await execFileAsync('git', ['-C', this.root, ...args], { maxBuffer: MAX_BUFFER, env: this.env });
    return stdout;
  }

  async remoteUrl(): Promise<string | undefined> {
    const url = await this.git(['config', '--get', 'remote.origin.url']).catch(() => '');
    return url.trim() || undefined;
  }

  async currentBranch(): Promise<string | undefined> {
    const name = await this.git(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '');
    return name.trim() || undefined;
  }

  /** Local branches and the commit each points at. An empty repository has none. */
  async branches(): Promise<Map<string, string>> {
    const output = await this.git(['for-each-ref', '--format=%(refname:short)%09%(objectname)', 'refs/heads']);
    const result = new Map<string, string>();
    for (const line of output.split('\n')) {
      const [name, sha] = line.split('\t');
      if (name && sha) result.set(name, sha);
    }
    return result;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git(['merge-base', '--is-ancestor', ancestor, descendant]);
      return true;
    } catch {
      return false;
    }
  }

  async commitExists(sha: string): Promise<boolean> {
    return this.git(['cat-file', '-e', `${sha}^{commit}`]).then(
      () => true,
      () => false,
    );
  }

  /**
   * How many commits streamCommits(include, exclude, authored) will yield: git rev-list --count, or with
   * an author-time window the author times alone (no diffs, fast).
   */
  async countCommits(
    include: string[],
    exclude: string[] = [],
    authored: AuthoredWindow | null = null,
  ): Promise<number> {
    if (include.length === 0) return 0;
    const range = [...include, ...exclude.map((sha) => `^${sha}`), '--'];
    if (authored === null) return Number((await this.git(['rev-list', '--count', ...range])).trim());
    const times = (await this.git(['log', '--format=%at', ...range])).split('\n').filter(Boolean).map(Number);
    return times.filter((seconds) => inWindow(seconds, authored)).length;
  }

  /**
   * Streams commits reachable from `include` but not from `exclude`, with per-file stats, one at a
   * time: memory stays flat however long the history is.
   */
  async *streamCommits(
    include: string[],
    exclude: string[] = [],
    authored: AuthoredWindow | null = null,
  ): AsyncGenerator<GitLogCommit> {
    if (include.length === 0) return;
    if (authored !== null) {
      // git filters by committer date only (and stops early on skewed clocks): author time is checked here.
      for await (const commit of this.streamCommits(include, exclude))
        if (inWindow(commit.author.timestamp, authored)) yield commit;
      return;
    }
    const args = [
      '-C',
      this.root,
      'log',
      '--numstat',
      '--date=raw',
      `--format=${GIT_LOG_FORMAT}`,
      ...include,
      ...exclude.map((sha) => `^${sha}`),
      '--',
    ];
    const child = spawn('git', args, { stdio: ['ignore', 'pipe', 'pipe'], env: this.env });
    const ready: GitLogCommit[] = [];
    const splitter = new CommitBlockSplitter((block) => ready.push(parseCommitBlock(block)));
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? 1));
    });
    try {
      child.stdout.setEncoding('utf8');
      for await (const chunk of child.stdout as AsyncIterable<string>) {
        splitter.push(chunk);
        while (ready.length > 0) yield ready.shift() as GitLogCommit;
      }
      splitter.end();
      while (ready.length > 0) yield ready.shift() as GitLogCommit;
      const code = await exited;
      if (code !== 0) throw new GitRepositoryError(`git log failed (exit ${code}): ${stderr.trim()}`);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  }

  /** Files tracked at `revision`. */
  async listFiles(revision = 'HEAD'): Promise<string[]> {
    const output = await this.git(['ls-tree', '-r', '--name-only', revision]);
    return output.split('\n').filter(Boolean);
  }

  /** Line ranges of `file` at `revision` with the commit and author that last touched them. */
  async blame(file: string, revision = 'HEAD'): Promise<BlameRange[]> {
    const output = await this.git(['blame', '--incremental', revision, '--', file]);
    const ranges: BlameRange[] = [];
    const authors = new Map<string, { name: string; email: string; time: number }>();
    let current: { sha: string; lineStart: number; lineCount: number } | undefined;
    let pending: { name?: string; email?: string; time?: number } = {};
    for (const line of output.split('\n')) {
      const header = /^([0-9a-f]{40}) \d+ (\d+) (\d+)$/.exec(line);
      if (header?.[1] && header[2] && header[3]) {
        current = { sha: header[1], lineStart: Number(header[2]), lineCount: Number(header[3]) };
        pending = {};
        continue;
      }
      if (!current) continue;
      if (line.startsWith('author ')) pending.name = line.slice(7);
      else if (line.startsWith('author-mail ')) pending.email = line.slice(12).replace(/^<|>$/g, '');
      else if (line.startsWith('author-time ')) pending.time = Number(line.slice(12));
      else if (line.startsWith('filename ')) {
        if (pending.email !== undefined)
          authors.set(current.sha, { name: pending.name ?? '', email: pending.email, time: pending.time ?? 0 });
        const author = authors.get(current.sha);
        if (author) {
          ranges.push({
            commitSha: current.sha,
            authorEmail: author.email,
            authorName: author.name,
            authorTime: author.time,
            lineStart: current.lineStart,
            lineCount: current.lineCount,
          });
        }
        current = undefined;
      }
    }
    return ranges.sort((a, b) => a.lineStart - b.lineStart);
  }
}
