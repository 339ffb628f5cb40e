import type { ReplayJob, SyncRun } from '@dev-health/control-plane';
import { runToCompletion } from './services';
import { waitFor } from './wait-for';

/** Issues an API key with the admin service's own `create-key` command and returns its token. */
export async function issueApiKey(
  env: Record<string, string>,
  options: { name?: string; role?: 'admin' | 'viewer'; orgs?: string } = {},
): Promise<string> {
  const args = ['create-key', '--name', options.name ?? 'ops', '--role', options.role ?? 'admin'];
  if (options.orgs !== undefined) args.push('--orgs', options.orgs);
  const { output } = await runToCompletion('admin', env, 60_000, args);
  const token = /"token":"([^"]+)"/.exec(output)?.[1];
  if (!token) throw new Error(`create-key printed no token:\n${output}`);
  return token;
}

export type RunView = SyncRun & { records: Record<string, number> };
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

const ENDED = ['succeeded', 'failed', 'cancelled'];

/** The admin REST API as tests and benchmarks drive it: one key (or none), JSON in and out. */
export class AdminApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(this.token === null ? {} : { authorization: `Bearer ${this.token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      // A string goes as it is: how a test sends a malformed body.
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: JSON.parse(text || '{}') as Record<string, unknown>,
      text,
      headers: response.headers,
    };
  }

  /** The body of a 2xx answer; anything else throws with the status and the API's message. */
  async ok(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const answer = await this.call(method, path, body);
    if (answer.status < 200 || answer.status >= 300)
      throw new Error(`${method} ${path}: HTTP ${answer.status} ${answer.text}`);
    return answer.body;
  }

  async requestSync(org: string, integrationId: string, body: unknown = { mode: 'incremental' }) {
    return (await this.ok('POST', `/orgs/${org}/integrations/${integrationId}/syncs`, body)) as unknown as {
      run: RunView;
      created: boolean;
    };
  }

  async getRun(org: string, runId: string): Promise<RunView> {
    return (await this.ok('GET', `/orgs/${org}/syncs/${runId}`)) as unknown as RunView;
  }

  /** Polls the run until it has ended, and returns it as it ended. */
  waitForEnd(org: string, runId: string, timeoutMs = 90_000, intervalMs = 200): Promise<RunView> {
    return waitFor(
      async () => {
        const run = await this.getRun(org, runId);
        return ENDED.includes(run.status) && run;
      },
      { description: `sync run ${runId} to end`, timeoutMs, intervalMs },
    );
  }

  /** Queues a replay of `stage` for `org` and polls it until it has ended. */
  async replay(org: string, body: Record<string, unknown>, timeoutMs = 180_000): Promise<ReplayJob> {
    const queued = (await this.ok('POST', `/orgs/${org}/replays`, body)) as unknown as ReplayJob;
    return waitFor(
      async () => {
        const job = (await this.ok('GET', `/orgs/${org}/replays/${queued.id}`)) as unknown as ReplayJob;
        return ['done', 'failed', 'cancelled'].includes(job.status) && job;
      },
      { description: `replay ${queued.id} of ${String(body.stage)} to end`, timeoutMs, intervalMs: 250 },
    );
  }
}
