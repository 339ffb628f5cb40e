import { type Command, InvalidArgumentError } from 'commander';
import type { AdminClient } from './admin-client';

interface Coordinates {
  topic: string;
  partition: number;
  offset: string;
}

interface GroupView {
  group: string;
  topic: string;
  records: number;
  redriven: number;
}

interface DeadLetterView {
  offset: string;
  reason: string | null;
  source: Coordinates | null;
  failed_at: string | null;
  org_id: string | null;
  key: string | null;
  redrive: { status: string; published_at: string | null } | null;
}

interface DeadLetterPage {
  topic: string;
  records: DeadLetterView[];
  next: string | null;
}

interface RedriveView {
  topic: string;
  published: number;
  results: { offset: string; outcome: string; source: Coordinates | null }[];
}

/** Outcomes that mean the request named something that cannot be redriven: exit 1. */
const REFUSED = new Set(['not-found', 'not-redrivable']);

const coordinates = (source: Coordinates | null) =>
  source ? `${source.topic}/${source.partition}/${source.offset}` : '(no source)';

const redriveState = (view: DeadLetterView) =>
  view.redrive === null ? 'not redriven' : view.redrive.status === 'published' ? 'redriven' : 'redrive in progress';

const deadLetterLine = (view: DeadLetterView) =>
  [
    view.offset,
    view.failed_at ?? '-',
    coordinates(view.source),
    view.org_id ?? '-',
    redriveState(view),
    view.reason,
  ].join('\t');

const isOffset = (value: string) => /^\d{1,19}$/.test(value);

function offsetArgument(value: string): string {
  if (!isOffset(value)) throw new InvalidArgumentError('must be an offset (a non-negative integer)');
  return value;
}

function limitArgument(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

/**
 * `dho dlq list | show <group> [offset] | redrive <group> <offset…>|--all`: dead letters of a consumer
 * group (processor, sink-postgres, metrics, …) and their redrive to the source topic, once each.
 */
export function addDlqCommands(
  program: Command,
  client: () => AdminClient,
  print: (value: unknown, human: string) => void,
): void {
  const dlq = program
    .command('dlq')
    .description('dead letters: records a consumer group could not process (keys for every org)');
  const groupPath = (group: string) => `/dlq/${encodeURIComponent(group)}`;

  dlq
    .command('list')
    .description('dead-letter groups: records kept and how many were redriven')
    .action(async () => {
      const { groups } = await client().request<{ groups: GroupView[] }>('GET', '/dlq');
      print(
        groups,
        groups.length === 0
          ? 'no dead-letter topics'
          : groups
              .map((entry) => `${entry.group}\t${entry.records} records\t${entry.redriven} redriven\t${entry.topic}`)
              .join('\n'),
      );
    });

  dlq
    .command('show <group> [offset]')
    .description('dead letters of a group (offset, failed at, source topic/partition/offset, org, redrive, reason)')
    .option('--after <offset>', 'only dead letters after this offset', offsetArgument)
    .option('--limit <n>', 'at most this many (API maximum 500)', limitArgument, 50)
    .option('--partition <n>', 'dead-letter partition', offsetArgument, '0')
    .action(
      async (
        group: string,
        offset: string | undefined,
        options: { after?: string; limit: number; partition: string },
        command: Command,
      ) => {
        if (offset !== undefined) {
          if (!isOffset(offset)) command.error(`offset ${offset} is not an offset (a non-negative integer)`);
          const view = await client().request<DeadLetterView & { value: unknown }>(
            'GET',
            `${groupPath(group)}/records/${offset}?partition=${options.partition}`,
          );
          print(view, `${deadLetterLine(view)}\nkey: ${view.key ?? '-'}\nvalue: ${JSON.stringify(view.value)}`);
          return;
        }
        const query = new URLSearchParams({ limit: String(options.limit), partition: options.partition });
        if (options.after !== undefined) query.set('after', options.after);
        const page = await client().request<DeadLetterPage>('GET', `${groupPath(group)}?${query.toString()}`);
        const more = page.next === null ? '' : `\n(more: --after ${page.next})`;
        print(
          page,
          page.records.length === 0
            ? `no dead letters in ${page.topic}`
            : page.records.map(deadLetterLine).join('\n') + more,
        );
      },
    );

  dlq
    .command('redrive <group> [offsets...]')
    .description('publish dead letters back to their source topics, each at most once (after fixing the cause)')
    .option('--all', 'every dead letter the group keeps')
    .option('--partition <n>', 'dead-letter partition', offsetArgument, '0')
    .action(
      async (group: string, offsets: string[], options: { all?: boolean; partition: string }, command: Command) => {
        if (offsets.length === 0 && options.all !== true) command.error('name the offsets to redrive, or pass --all');
        if (offsets.length > 0 && options.all === true) command.error('give offsets or --all, not both');
        const invalid = offsets.find((offset) => !isOffset(offset));
        if (invalid !== undefined) command.error(`offset ${invalid} is not an offset (a non-negative integer)`);
        const partition = Number(options.partition);
        const body = options.all === true ? { all: true, partition } : { offsets, partition };
        const result = await client().request<RedriveView>('POST', `${groupPath(group)}/redrive`, body);
        print(
          result,
          [
            ...result.results.map((entry) => `${entry.offset}\t${entry.outcome}\t${coordinates(entry.source)}`),
            `${result.published} published to their source topics`,
          ].join('\n'),
        );
        if (result.results.some((entry) => REFUSED.has(entry.outcome))) process.exitCode = 1;
      },
    );
}
