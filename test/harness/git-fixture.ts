import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FixtureCommit {
  authorName: string;
  authorEmail: string;
  /** ISO 8601 with the author's offset, e.g. "2026-01-05T10:00:00+05:30". */
  date: string;
  message: string;
  /** path → full new content (each line ends with \n); null deletes the file. */
  files: Record<string, string | null>;
}

function git(directory: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd: directory, env: { ...process.env, ...env }, encoding: 'utf8' });
}

/** A real repository built commit by commit with the given authors, dates and contents. */
export function createGitRepository(
  commits: FixtureCommit[],
  directory = mkdtempSync(path.join(tmpdir(), 'dho-git-')),
): string {
  git(directory, ['init', '-q', '-b', 'main']);
  git(directory, ['config', 'commit.gpgsign', 'false']);
  appendCommits(directory, commits);
  return directory;
}

export function appendCommits(directory: string, commits: FixtureCommit[]): void {
  for (const commit of commits) {
    for (const [file, content] of Object.entries(commit.files)) {
      const target = path.join(directory, file);
      if (content === null) rmSync(target);
      else {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    }
    git(directory, ['add', '-A']);
    git(directory, ['commit', '-q', '--allow-empty', '-m', commit.message], {
      GIT_AUTHOR_NAME: commit.authorName,
      GIT_AUTHOR_EMAIL: commit.authorEmail,
      GIT_AUTHOR_DATE: commit.date,
      GIT_COMMITTER_NAME: commit.authorName,
      GIT_COMMITTER_EMAIL: commit.authorEmail,
      GIT_COMMITTER_DATE: commit.date,
    });
  }
}

export function lines(count: number, label = 'line'): string {
  return Array.from({ length: count }, (_, index) => `${label} ${index}\n`).join('');
}

const WORKING_SET_FILES = 512;

export interface LargeRepositoryOptions {
  commits: number;
  filesPerCommit: number;
  linesPerFile: number;
  authors: number;
  /** Epoch seconds of the first commit; one commit per `secondsBetween`. */
  start: number;
  secondsBetween: number;
}

/**
 * A large repository written through git fast-import (seconds, not minutes, for 50k commits).
 * Commit i by author i % authors touches `filesPerCommit` distinct files (at most 512) of a working set
 * of 512: the first touch adds `linesPerFile` + 1 lines, later ones replace the first line (1+, 1-).
 */
export async function createLargeRepository(
  options: LargeRepositoryOptions,
  directory = mkdtempSync(path.join(tmpdir(), 'dho-git-large-')),
): Promise<string> {
  git(directory, ['init', '-q', '-b', 'main']);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: directory, stdio: ['pipe', 'ignore', 'inherit'] });
  const done = new Promise<void>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))),
  );
  const write = (text: string) =>
    new Promise<void>((resolve) => {
      if (child.stdin.write(text)) resolve();
      else child.stdin.once('drain', () => resolve());
    });
  const blob = lines(options.linesPerFile, 'x');
  for (let index = 0; index < options.commits; index++) {
    const author = index % options.authors;
    const when = options.start + index * options.secondsBetween;
    const message = `commit ${index}`;
    let command = `commit refs/heads/main\nmark :${index + 1}\nauthor Author ${author} <author${author}@example.com> ${when} +0000\ncommitter Author ${author} <author${author}@example.com> ${when} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`;
    if (index > 0) command += `from :${index}\n`;
    for (let file = 0; file < options.filesPerCommit; file++) {
      // A bounded working set of files that commits keep rewriting: trees stay small, so fast-import
      // stays linear (adding new files forever makes every tree rewrite grow with history).
      const slot = (index * options.filesPerCommit + file) % WORKING_SET_FILES;
      const content = `${index}\n${blob}`;
      command += `M 100644 inline dir${slot % 16}/file-${slot}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    }
    await write(command);
  }
  child.stdin.end();
  await done;
  git(directory, ['checkout', '-q', 'main']);
  return directory;
}
