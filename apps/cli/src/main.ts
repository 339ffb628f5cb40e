import { Command, InvalidArgumentError } from 'commander';
import { processEnvironment } from '@dev-health/config';
import { redactSecrets } from '@dev-health/observability';
import { AdminApiError, AdminClient } from './admin-client';
import { readCliConfig } from './config';
import { addReplayCommands } from './replay-commands';
import { addDlqCommands } from './dlq-commands';
import { FINISHED, type RunView, progressLine } from './progress';

/**
 * dho: the admin API from a terminal. Every command prints JSON with --json (one object; --follow
 * prints one per change, NDJSON), a human line otherwise. Exit codes: 0 ok, 1 the API refused or the
 * followed run failed, 2 bad usage.
 */
const out = (text: string) => process.stdout.write(`${text}\n`);

function providerScope(provider: string, scope: string | undefined, scopeJson: string | undefined): unknown {
  if (scopeJson !== undefined) return JSON.parse(scopeJson) as unknown;
  const list = (scope ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  switch (provider) {
    case 'github':
      return { owner: list[0] ?? '', ...(list.length > 1 ? { repositories: list.slice(1) } : {}) };
    case 'gitlab':
      return { group: list[0] ?? '', ...(list.length > 1 ? { projects: list.slice(1) } : {}) };
    case 'jira':
      return { site: list[0] ?? '', ...(list.length > 1 ? { projects: list.slice(1) } : {}) };
    case 'git':
      return { paths: list };
    default:
      return {};
  }
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

export function buildProgram(env: Readonly<Record<string, string | undefined>>): Command {
  const config = readCliConfig(env);
  const program = new Command('dho')
    .description('dev-health-ops admin: organizations, integrations, syncs, backfills, replays and dead letters')
    .option('--api <url>', 'admin API base URL (DHO_API_URL)', config.apiUrl)
    .option('--key <token>', 'API key (DHO_API_KEY)')
    .option('--json', 'print JSON')
    .showHelpAfterError()
    // Before the subcommands exist, so they inherit it: usage errors reach main() and exit 2.
    .exitOverride();
  const client = () => {
    const options = program.opts<{ api: string; key?: string }>();
    const key = options.key ?? config.apiKey;
    if (!key) throw new AdminApiError(401, 'no API key: set DHO_API_KEY or pass --key');
    return new AdminClient(options.api, key);
  };
  const json = () => program.opts<{ json?: boolean }>().json === true;
  const print = (value: unknown, human: string) => out(json() ? JSON.stringify(value) : human);

  const org = program.command('org').description('organizations');
  org
    .command('create <slug>')
    .requiredOption('--name <name>', 'display name')
    .option('--tier <tier>', 'community | team | enterprise', 'community')
    .action(async (slug: string, options: { name: string; tier: string }) => {
      const created = await client().request<{ slug: string; tier: string }>('POST', '/orgs', {
        slug,
        name: options.name,
        tier: options.tier,
      });
      print(created, `organization ${created.slug} (${created.tier}) created`);
    });
  org.command('list').action(async () => {
    const { organizations } = await client().request<{ organizations: { slug: string; name: string; tier: string }[] }>(
      'GET',
      '/orgs',
    );
    print(organizations, organizations.map((entry) => `${entry.slug}\t${entry.tier}\t${entry.name}`).join('\n'));
  });

  const integration = program.command('integration').description('integrations of an organization');
  integration
    .command('add <provider>')
    .requiredOption('--org <org>', 'organization slug')
    .option('--name <name>', 'unique in the org (default: the provider)')
    .option('--scope <list>', 'github: owner[,repo…]; gitlab: group[,project…]; jira: site[,PROJ…]; git: path[,…]')
    .option('--scope-json <json>', 'the scope object as JSON (any provider)')
    .option('--token-env <variable>', "the connector's environment variable holding the token")
    .option('--token-file <path>', 'a file (mounted secret) holding the token')
    .option('--every <seconds>', 'schedule: an incremental sync every N seconds', positiveInt)
    .action(
      async (
        provider: string,
        options: {
          org: string;
          name?: string;
          scope?: string;
          scopeJson?: string;
          tokenEnv?: string;
          tokenFile?: string;
          every?: number;
        },
      ) => {
        const credential =
          options.tokenEnv !== undefined
            ? `env:${options.tokenEnv}`
            : options.tokenFile !== undefined
              ? `file:${options.tokenFile}`
              : null;
        const created = await client().request<{ id: string; name: string }>(
          'POST',
          `/orgs/${encodeURIComponent(options.org)}/integrations`,
          {
            provider,
            name: options.name ?? provider,
            scope: providerScope(provider, options.scope, options.scopeJson),
            credential_ref: credential,
            schedule_interval_seconds: options.every ?? null,
          },
        );
        print(created, `integration ${created.name} added: ${created.id}`);
      },
    );
  integration
    .command('list')
    .requiredOption('--org <org>', 'organization slug')
    .action(async (options: { org: string }) => {
      const { integrations } = await client().request<{
        integrations: { id: string; provider: string; name: string; enabled: boolean }[];
      }>('GET', `/orgs/${encodeURIComponent(options.org)}/integrations`);
      print(
        integrations,
        integrations
          .map((entry) => `${entry.id}\t${entry.provider}\t${entry.name}${entry.enabled ? '' : '\t(disabled)'}`)
          .join('\n'),
      );
    });

  const key = program.command('key').description('API keys (admin keys; an org admin manages its orgs’ keys only)');
  key
    .command('create')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--role <role>', 'admin | viewer')
    .option('--orgs <list>', 'comma-separated org slugs (omitted: every org; operator keys only)')
    .action(async (options: { name: string; role: string; orgs?: string }) => {
      const orgs = options.orgs === undefined ? null : options.orgs.split(',').map((org) => org.trim());
      const created = await client().request<{ id: string; token: string }>('POST', '/keys', {
        name: options.name,
        role: options.role,
        orgs,
      });
      print(created, `key ${created.id} created; its token (shown once):\n${created.token}`);
    });
  key.command('list').action(async () => {
    const { keys } = await client().request<{
      keys: { id: string; name: string; role: string; orgs: string[] | null; revoked_at: string | null }[];
    }>('GET', '/keys');
    print(
      keys,
      keys
        .map(
          (entry) =>
            `${entry.id}\t${entry.role}\t${entry.name}\t${entry.orgs?.join(',') ?? '(every org)'}${entry.revoked_at ? '\t(revoked)' : ''}`,
        )
        .join('\n'),
    );
  });
  key.command('revoke <id>').action(async (id: string) => {
    await client().request<unknown>('DELETE', `/keys/${encodeURIComponent(id)}`);
    print({ id, revoked: true }, `key ${id} revoked`);
  });

  const sync = program.command('sync').description('sync runs');
  sync
    .command('run <integration>')
    .requiredOption('--org <org>', 'organization slug')
    .option('--mode <mode>', 'incremental | backfill', 'incremental')
    .option('--since <date>', 'backfill window start (ISO date)')
    .option('--before <date>', 'backfill window end, exclusive (ISO date)')
    .option('--follow', 'follow the run until it finishes')
    .option('--interval <ms>', 'polling interval while following', positiveInt, 1_000)
    .action(
      async (
        integrationId: string,
        options: { org: string; mode: string; since?: string; before?: string; follow?: boolean; interval: number },
      ) => {
        const api = client();
        const window =
          options.since !== undefined || options.before !== undefined
            ? { start: options.since, end: options.before }
            : undefined;
        const requested = await api.request<{ run: RunView; created: boolean }>(
          'POST',
          `/orgs/${encodeURIComponent(options.org)}/integrations/${encodeURIComponent(integrationId)}/syncs`,
          { mode: options.mode, ...(window === undefined ? {} : { window }) },
        );
        print(
          requested,
          requested.created ? `sync ${requested.run.id} queued` : `already syncing: run ${requested.run.id}`,
        );
        if (options.follow) await follow(api, options.org, requested.run.id, options.interval);
      },
    );
  sync
    .command('status [run]')
    .requiredOption('--org <org>', 'organization slug')
    .action(async (runId: string | undefined, options: { org: string }) => {
      const api = client();
      const base = `/orgs/${encodeURIComponent(options.org)}`;
      if (runId !== undefined) {
        const run = await api.request<RunView>('GET', `${base}/syncs/${encodeURIComponent(runId)}`);
        print(run, `${run.id}\t${progressLine(run, Date.now())}`);
        return;
      }
      const { runs } = await api.request<{ runs: RunView[] }>('GET', `${base}/syncs?limit=20`);
      print(runs, runs.map((run) => `${run.id}\t${run.mode}\t${progressLine(run, Date.now())}`).join('\n'));
    });

  sync
    .command('cancel <run>')
    .description('stop an active run: a queued one never starts, a running one stops at its next heartbeat')
    .requiredOption('--org <org>', 'organization slug')
    .action(async (runId: string, options: { org: string }) => {
      const run = await client().request<RunView>(
        'POST',
        `/orgs/${encodeURIComponent(options.org)}/syncs/${encodeURIComponent(runId)}/cancel`,
      );
      print(run, `${run.id}\t${progressLine(run, Date.now())}`);
    });

  interface BackfillView {
    id: string;
    status: string;
    progress: { chunks_done: number; chunks_total: number; percent: number; records: number };
    chunks: { chunk_index: number; status: string; error: string | null }[];
    rebuild_status?: string | null;
  }
  const backfillLine = (job: BackfillView) =>
    `${job.id}\t${job.status}\t${job.progress.chunks_done}/${job.progress.chunks_total} chunks (${job.progress.percent}%), ${job.progress.records} records` +
    (job.rebuild_status ? `, metrics rebuild ${job.rebuild_status}` : '') +
    (job.chunks.find((chunk) => chunk.status === 'failed')?.error
      ? `\t${String(job.chunks.find((chunk) => chunk.status === 'failed')?.error)}`
      : '');
  const backfill = program.command('backfill').description('backfill jobs: history in 7-day chunks');
  const backfillPath = (orgSlug: string, id?: string) =>
    `/orgs/${encodeURIComponent(orgSlug)}/backfills${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
  backfill
    .command('run <integration>')
    .requiredOption('--org <org>', 'organization slug')
    .requiredOption('--since <date>', 'start (ISO date or instant)')
    .requiredOption('--before <date>', 'end, exclusive (ISO date or instant)')
    .option('--follow', 'follow the job until it ends')
    .option('--interval <ms>', 'polling interval while following', positiveInt, 1_000)
    .action(
      async (
        integrationId: string,
        options: { org: string; since: string; before: string; follow?: boolean; interval: number },
      ) => {
        const api = client();
        const job = await api.request<BackfillView>('POST', backfillPath(options.org), {
          integration: integrationId,
          since: options.since,
          before: options.before,
        });
        print(job, `backfill ${job.id} queued: ${job.progress.chunks_total} chunks`);
        if (!options.follow) return;
        let last = '';
        for (;;) {
          const now = await api.request<BackfillView>('GET', backfillPath(options.org, job.id));
          const line = backfillLine(now);
          if (line !== last) out(json() ? JSON.stringify(now) : line);
          last = line;
          if (!['queued', 'running'].includes(now.status)) {
            if (now.status !== 'succeeded') process.exitCode = 1;
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, options.interval));
        }
      },
    );
  backfill
    .command('show <job>')
    .requiredOption('--org <org>', 'organization slug')
    .action(async (jobId: string, options: { org: string }) => {
      const job = await client().request<BackfillView>('GET', backfillPath(options.org, jobId));
      print(job, backfillLine(job));
    });
  backfill
    .command('cancel <job>')
    .description('stop a job: no further chunk starts, the running chunk is cancelled')
    .requiredOption('--org <org>', 'organization slug')
    .action(async (jobId: string, options: { org: string }) => {
      const job = await client().request<BackfillView>('DELETE', backfillPath(options.org, jobId));
      print(job, backfillLine(job));
    });

  async function follow(api: AdminClient, orgSlug: string, runId: string, intervalMs: number): Promise<void> {
    const path = `/orgs/${encodeURIComponent(orgSlug)}/syncs/${encodeURIComponent(runId)}`;
    const tty = process.stdout.isTTY && !json();
    let last = '';
    for (;;) {
      const run = await api.request<RunView>('GET', path);
      const line = progressLine(run, Date.now());
      if (json()) {
        const state = JSON.stringify({ status: run.status, records: run.records });
        if (state !== last) out(JSON.stringify(run));
        last = state;
      } else if (tty) process.stdout.write(`\r${line.padEnd(100)}`);
      else if (line !== last) {
        out(line);
        last = line;
      }
      if (FINISHED.has(run.status)) {
        if (tty) process.stdout.write('\n');
        if (run.status !== 'succeeded') process.exitCode = 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  addDlqCommands(program, client, print);
  addReplayCommands(program, client, print, json);
  return program;
}

async function main(): Promise<void> {
  const program = buildProgram(processEnvironment());
  try {
    await program.parseAsync(process.argv);
  } catch (error: unknown) {
    if (error instanceof AdminApiError) {
      process.stderr.write(redactSecrets(`dho: ${error.message} (HTTP ${error.status})\n`));
      process.exitCode = 1;
      return;
    }
    if (typeof error === 'object' && error !== null && 'exitCode' in error) {
      process.exitCode = Number((error as { exitCode: number }).exitCode) === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(redactSecrets(`dho: ${error instanceof Error ? error.message : String(error)}\n`));
    process.exitCode = 1;
  }
}

void main();
