import { spawn } from 'node:child_process';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { processEnvironment } from '@dev-health/config';
import { GitRepository, GitRepositoryError } from './git-repository';
import type { GitLogCommit } from './parse-git-log';

const MAX_BUFFER = 64 * 1024 * 1024;
const ZERO_OID = /^0+$/;

/** A git command of a partial clone failed; the message never holds the token. */
export class PartialCloneError extends GitRepositoryError {
  constructor(
    message: string,
    /** The remote refused the credentials (401/403, or git asked for a username). */
    readonly authFailed: boolean,
    /** The remote has no such ref (a fetch of a branch that does not exist). */
    readonly missingRef = false,
  ) {
    super(message);
  }
}

export interface PartialCloneOptions {
  /** The bare clone's directory, created on first use; key it by something immutable (a repository id). */
  directory: string;
  /** The remote, without credentials: https://github.com/owner/name.git. */
  url: string;
  /** Sent as HTTP Basic x-access-token (GitHub's form for PATs and installation tokens); null: anonymous. */
  token: string | null;
  /** The partial clone filter (default blob:none: commits and trees only, blobs on demand). */
  filter?: string;
}

/** Blobs a prefetch asked for and what it cost. */
export interface BlobPrefetch {
  missing: number;
  fetches: number;
}

/**
 * A bare partial clone kept as a cache: cloned once with `--filter=blob:none`, then fetched branch by
 * branch. Commit history and trees come down once; the blobs numstat needs are fetched in one request
 * per log (`prefetchBlobs`) instead of git's lazy fetch per commit. The token travels only in the
 * environment of the git processes (GIT_CONFIG_* http.extraHeader): never in argv, never in the clone's
 * config, and redacted from every error.
 */
export class PartialClone {
  readonly repository: GitRepository;
  private readonly environment: Record<string, string>;
  private readonly secrets: string[];
  private readonly filter: string;

  private constructor(private readonly options: PartialCloneOptions) {
    this.filter = options.filter ?? 'blob:none';
    const config: [string, string][] = [
      // No helper may prompt for, store or offer other credentials.
      ['credential.helper', ''],
    ];
    this.secrets = [];
    if (options.token !== null && options.token !== '') {
      const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
      config.push(['http.extraHeader', `Authorization: Basic ${basic}`]);
      this.secrets.push(options.token, basic);
    }
    this.environment = {
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: String(config.length),
      ...Object.fromEntries(
        config.flatMap(([key, value], index) => [
          [`GIT_CONFIG_KEY_${index}`, key],
          [`GIT_CONFIG_VALUE_${index}`, value],
        ]),
      ),
    };
    this.repository = GitRepository.bare(options.directory, this.environment);
  }

  /** Opens the clone at `options.directory`, cloning it first if it is not there; follows a changed URL. */
  static async open(options: PartialCloneOptions): Promise<PartialClone> {
    const clone = new PartialClone(options);
    const present = await stat(path.join(options.directory, 'HEAD')).catch(() => undefined);
    if (present) {
      const url = await clone.git(['config', '--get', 'remote.origin.url']).catch(() => '');
      if (url.trim() !== options.url) await clone.git(['remote', 'set-url', 'origin', options.url]);
      return clone;
    }
    // Clone beside the target and move it in: a clone cut short never looks like a usable cache.
    const partial = `${options.directory}.partial-${process.pid}`;
    await mkdir(path.dirname(options.directory), { recursive: true });
    await rm(partial, { recursive: true, force: true });
    try {
      await clone.run(['clone', '--bare', `--filter=${clone.filter}`, '--no-tags', '--quiet', options.url, partial]);
      await rename(partial, options.directory);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
    return clone;
  }

  /**
   * Fetches `branch` (forced: a rewritten branch moves too) and returns its head, or null when the
   * remote has no such branch.
   */
  async fetchBranch(branch: string): Promise<string | null> {
    try {
      await this.git([
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        `--filter=${this.filter}`,
        'origin',
        `+refs/heads/${branch}:refs/heads/${branch}`,
      ]);
    } catch (error: unknown) {
      if (error instanceof PartialCloneError && error.missingRef) return null;
      throw error;
    }
    return (await this.repository.branches()).get(branch) ?? null;
  }

  /**
   * Fetches, in one request, the blobs that `git log --numstat include ^exclude` will diff and the
   * clone does not hold yet. Without it git fetches them lazily, one request per commit.
   */
  async prefetchBlobs(include: string[], exclude: string[] = []): Promise<BlobPrefetch> {
    if (include.length === 0) return { missing: 0, fetches: 0 };
    const listing = await this.git([
      'log',
      '--raw',
      '--no-abbrev',
      '--no-renames',
      '--format=',
      ...include,
      ...exclude.map((sha) => `^${sha}`),
      '--',
    ]);
    const wanted = new Set<string>();
    for (const line of listing.split('\n')) {
      // ":100644 100644 <old> <new> M\tpath"
      const fields = line.startsWith(':') ? line.split(/\s+/) : [];
      for (const oid of [fields[2], fields[3]]) if (oid && !ZERO_OID.test(oid)) wanted.add(oid);
    }
    if (wanted.size === 0) return { missing: 0, fetches: 0 };
    const local = await this.git([
      'cat-file',
      '--batch-all-objects',
      '--unordered',
      '--batch-check=%(objecttype) %(objectname)',
    ]);
    for (const line of local.split('\n')) if (line.startsWith('blob ')) wanted.delete(line.slice(5));
    if (wanted.size === 0) return { missing: 0, fetches: 0 };
    // What git's own lazy fetch runs (promisor-remote.c), for every missing blob at once.
    await this.git(
      [
        '-c',
        'fetch.negotiationAlgorithm=noop',
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--recurse-submodules=no',
        `--filter=${this.filter}`,
        '--stdin',
        'origin',
      ],
      [...wanted].join('\n') + '\n',
    );
    return { missing: wanted.size, fetches: 1 };
  }

  /** streamCommits of the clone, its errors redacted. */
  async *streamCommits(include: string[], exclude: string[] = []): AsyncGenerator<GitLogCommit> {
    try {
      yield* this.repository.streamCommits(include, exclude);
    } catch (error: unknown) {
      throw this.failure('git log', error);
    }
  }

  private async git(args: string[], input?: string): Promise<string> {
    return this.run(['-C', this.options.directory, ...args], input);
  }

  private run(args: string[], input?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, {
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        env: { ...processEnvironment(), ...this.environment },
      });
      const stdout: Buffer[] = [];
      let size = 0;
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BUFFER) child.kill('SIGTERM');
        else stdout.push(chunk);
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', (error) => reject(this.failure(`git ${subcommand(args)}`, error, stderr)));
      child.on('close', (code, signal) => {
        if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
        else {
          const reason = size > MAX_BUFFER ? 'output too large' : `exit ${code ?? signal ?? '?'}`;
          reject(this.failure(`git ${subcommand(args)}`, new Error(reason), stderr));
        }
      });
      if (child.stdin) {
        // A git that exits before reading all of it (a failed fetch) closes the pipe: its exit code says why.
        child.stdin.on('error', () => undefined);
        child.stdin.end(input);
      }
    });
  }

  private failure(what: string, error: unknown, stderr = ''): PartialCloneError {
    const detail = stderr.trim() || (error instanceof Error ? error.message : String(error));
    return new PartialCloneError(
      this.redact(`${what} failed for ${this.options.url}: ${detail}`),
      /Authentication failed|could not read Username|returned error: 40[13]/i.test(detail),
      /couldn't find remote ref/i.test(detail),
    );
  }

  /** Removes the token (and its Basic form) from text that may reach a log or a run's error. */
  redact(text: string): string {
    return this.secrets.reduce((result, secret) => result.split(secret).join('***'), text);
  }
}

/** "fetch" of `-C dir -c key=value fetch …`: what a failure names. */
function subcommand(args: string[]): string {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '-C' || arg === '-c') index++;
    else return arg;
  }
  return '';
}
