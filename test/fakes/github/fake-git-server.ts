import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface FakeGitRequest {
  method: string;
  /** e.g. /acme-inc/api.git/git-upload-pack */
  path: string;
  status: number;
}

/**
 * Git's smart HTTP for the fake GitHub, served by git's own CGI (git-http-backend): clones and
 * fetches with partial-clone filters behave as on GitHub. Like GitHub it wants the token as the
 * password of HTTP Basic (any user name, e.g. x-access-token) and answers 401 otherwise. Its requests
 * are kept apart from the API's: git traffic takes nothing from the API budget.
 */
export class FakeGitServer {
  readonly requests: FakeGitRequest[] = [];
  private empty: Promise<string> | undefined;

  constructor(
    /** The git directory serving `<owner>/<name>.git`; null: the repository exists and has no commits. */
    private readonly directoryOf: (owner: string, name: string) => string | null | undefined,
    /** The one token accepted (null: any). */
    private readonly token: () => string | null,
  ) {}

  /** The owner, name and the rest of the path of a git URL, else null. */
  route(pathname: string): { owner: string; name: string; rest: string } | null {
    const match = /^\/([^/]+)\/([^/]+)\.git(\/.*)$/.exec(pathname);
    return match?.[1] && match[2] && match[3] ? { owner: match[1], name: match[2], rest: match[3] } : null;
  }

  async handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const route = this.route(url.pathname);
    const record: FakeGitRequest = { method: request.method ?? 'GET', path: url.pathname, status: 0 };
    this.requests.push(record);
    const reply = (status: number, headers: Record<string, string> = {}) => {
      record.status = status;
      response.writeHead(status, headers);
      response.end();
      request.resume();
    };
    const found = route ? this.directoryOf(route.owner, route.name) : undefined;
    const directory = found === null ? await this.emptyRepository() : found;
    const expected = this.token();
    if (expected !== null && basicPassword(request.headers.authorization) !== expected)
      return reply(401, { 'www-authenticate': 'Basic realm="fake GitHub"' });
    if (!route || !directory) return reply(404);
    const child = spawn(HTTP_BACKEND, [], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: path.dirname(directory),
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${path.basename(directory)}${route.rest}`,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: record.method,
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] } : {}),
        ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    request.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.resume();
    const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
    const output = Buffer.concat(chunks);
    const end = output.indexOf('\r\n\r\n');
    if (code !== 0 || end === -1) return reply(500);
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of output.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'status') status = Number(value.split(' ')[0]);
      else if (name) headers[name] = value;
    }
    record.status = status;
    response.writeHead(status, headers);
    response.end(output.subarray(end + 4));
  }

  /** Removes the empty repository it made (if any). */
  async stop(): Promise<void> {
    if (this.empty) await rm(path.dirname(await this.empty), { recursive: true, force: true });
  }

  private emptyRepository(): Promise<string> {
    this.empty ??= (async () => {
      const directory = path.join(await mkdtemp(path.join(tmpdir(), 'fake-git-')), 'empty.git');
      await execFileAsync('git', ['init', '--quiet', '--bare', directory]);
      return directory;
    })();
    return this.empty;
  }
}

function basicPassword(authorization: string | undefined): string | null {
  const match = /^Basic (.+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : decoded.slice(colon + 1);
}

export interface FixturePerson {
  name: string;
  email: string;
}

export interface FixtureCommit {
  author: FixturePerson;
  /** Defaults to the author. */
  committer?: FixturePerson;
  /** ISO 8601 with the author's offset, e.g. 2026-03-02T09:15:00+05:30: git keeps the offset. */
  date: string;
  message: string;
  /** Path → new content; null deletes the file. */
  files: Record<string, string | null>;
}

/** A real git repository with commits written as the fixture says, for the fake to serve. */
export class FixtureRepository {
  private constructor(readonly workTree: string) {}

  /** The git directory the fake serves. */
  get gitDirectory(): string {
    return path.join(this.workTree, '.git');
  }

  static async create(workTree: string, branch = 'main'): Promise<FixtureRepository> {
    await rm(workTree, { recursive: true, force: true });
    await mkdir(workTree, { recursive: true });
    const repository = new FixtureRepository(workTree);
    await repository.git(['init', '--quiet', `--initial-branch=${branch}`]);
    await repository.git(['config', 'uploadpack.allowFilter', 'true']);
    await repository.git(['config', 'uploadpack.allowAnySHA1InWant', 'true']);
    return repository;
  }

  async commit(commit: FixtureCommit): Promise<string> {
    for (const [file, content] of Object.entries(commit.files)) {
      const target = path.join(this.workTree, file);
      if (content === null) await this.git(['rm', '--quiet', '--', file]);
      else {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
        await this.git(['add', '--', file]);
      }
    }
    const committer = commit.committer ?? commit.author;
    await this.git(['commit', '--quiet', '--allow-empty', '-m', commit.message], {
      GIT_AUTHOR_NAME: commit.author.name,
      GIT_AUTHOR_EMAIL: commit.author.email,
      GIT_AUTHOR_DATE: commit.date,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: commit.date,
    });
    return this.head();
  }

  async head(ref = 'HEAD'): Promise<string> {
    return (await this.git(['rev-parse', ref])).trim();
  }

  /** Moves the checked-out branch back to `ref`: with new commits after it, a force-push. */
  async resetHard(ref: string): Promise<void> {
    await this.git(['reset', '--quiet', '--hard', ref]);
  }

  async branch(name: string, from = 'HEAD'): Promise<void> {
    await this.git(['branch', '--force', name, from]);
  }

  /** Merges `branch` into the checked-out branch with a merge commit by `author` at `date`. */
  async merge(branch: string, author: FixturePerson, date: string, message: string): Promise<string> {
    await this.git(['merge', '--quiet', '--no-ff', '-m', message, branch], {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: author.name,
      GIT_COMMITTER_EMAIL: author.email,
      GIT_COMMITTER_DATE: date,
    });
    return this.head();
  }

  async checkout(name: string): Promise<void> {
    await this.git(['checkout', '--quiet', name]);
  }

  private async git(args: string[], env: Record<string, string> = {}): Promise<string> {
    const { stdout } = await execFileAsync('git', ['-C', this.workTree, ...args], {
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: this.workTree, ...env },
    });
    return stdout;
  }
}
