import { type Command, InvalidArgumentError } from 'commander';
import type { AdminClient } from './admin-client';

interface ReplayView {
  id: string;
  stage: string;
  status: string;
  generation: number;
  done: number;
  total: number;
  percent: number;
  error: string | null;
  partitions: { topic: string; partition: number; start: number; end: number; position: number }[];
}

const ENDED = new Set(['done', 'failed', 'cancelled']);

/** "earliest", an ISO instant, or topic:partition:offset[,…] → the API's `from`. */
export function parseReplayFrom(value: string): unknown {
  if (value === 'earliest') return value;
  if (!Number.isNaN(Date.parse(value))) return value;
  return value.split(',').map((entry) => {
    const match = /^(.+):(\d+):(\d+)$/.exec(entry.trim());
    if (!match) throw new InvalidArgumentError('must be "earliest", an ISO instant, or topic:partition:offset[,…]');
    return { topic: match[1], partition: Number(match[2]), offset: Number(match[3]) };
  });
}

export function replayLine(job: ReplayView): string {
  const partitions = job.partitions.filter((entry) => entry.end > entry.start);
  const finished = partitions.filter((entry) => entry.position >= entry.end).length;
  return (
    `${job.id}\t${job.stage}\t${job.status}\t${job.done}/${job.total} offsets (${job.percent}%), ` +
    `${finished}/${partitions.length} partitions` +
    (job.generation > 0 ? `, generation ${job.generation}` : '') +
    (job.error ? `\t${job.error}` : '')
  );
}

/** `dho replay run|list|show|cancel`: reprocess a stage's input topics for one org. */
export function addReplayCommands(
  program: Command,
  client: () => AdminClient,
  print: (value: unknown, human: string) => void,
  json: () => boolean,
): void {
  const replay = program
    .command('replay')
    .description('replays: a stage reprocesses its input topics for one org, without calling providers');
  const path = (org: string, id?: string) =>
    `/orgs/${encodeURIComponent(org)}/replays${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
  const interval = (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
    return parsed;
  };

  async function follow(api: AdminClient, org: string, id: string, intervalMs: number): Promise<void> {
    let last = '';
    for (;;) {
      const job = await api.request<ReplayView>('GET', path(org, id));
      const line = replayLine(job);
      if (line !== last) process.stdout.write(`${json() ? JSON.stringify(job) : line}\n`);
      last = line;
      if (ENDED.has(job.status)) {
        if (job.status !== 'done') process.exitCode = 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  replay
    .command('run')
    .requiredOption('--org <org>', 'organization slug')
    .requiredOption('--stage <stage>', 'processor | sink-postgres | sink-clickhouse | sink-mongo | metrics')
    .option('--from <from>', 'earliest | ISO instant | topic:partition:offset[,…]', parseReplayFrom, 'earliest')
    .option('--to <instant>', 'stop before records written at this ISO instant (default: the end at start)')
    .option('--follow', 'follow the replay until it ends')
    .option('--interval <ms>', 'polling interval while following', interval, 1_000)
    .action(
      async (options: {
        org: string;
        stage: string;
        from: unknown;
        to?: string;
        follow?: boolean;
        interval: number;
      }) => {
        const api = client();
        const job = await api.request<ReplayView>('POST', path(options.org), {
          stage: options.stage,
          from: options.from,
          ...(options.to === undefined ? {} : { to: options.to }),
        });
        print(job, `replay ${job.id} of ${job.stage} queued`);
        if (options.follow) await follow(api, options.org, job.id, options.interval);
      },
    );
  replay
    .command('list')
    .requiredOption('--org <org>', 'organization slug')
    .action(async (options: { org: string }) => {
      const jobs = await client().request<ReplayView[]>('GET', path(options.org));
      print(jobs, jobs.map(replayLine).join('\n'));
    });
  replay
    .command('show <id>')
    .requiredOption('--org <org>', 'organization slug')
    .option('--follow', 'follow the replay until it ends')
    .option('--interval <ms>', 'polling interval while following', interval, 1_000)
    .action(async (id: string, options: { org: string; follow?: boolean; interval: number }) => {
      const api = client();
      if (options.follow) return follow(api, options.org, id, options.interval);
      const job = await api.request<ReplayView>('GET', path(options.org, id));
      const partitions = job.partitions.map(
        (entry) => `  ${entry.topic}[${entry.partition}]\t${entry.position - entry.start}/${entry.end - entry.start}`,
      );
      print(job, [replayLine(job), ...partitions].join('\n'));
    });
  replay
    .command('cancel <id>')
    .requiredOption('--org <org>', 'organization slug')
    .action(async (id: string, options: { org: string }) => {
      const job = await client().request<ReplayView>('DELETE', path(options.org, id));
      print(job, replayLine(job));
    });
}
