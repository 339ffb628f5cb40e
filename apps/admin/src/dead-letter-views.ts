import { type FieldProblem, NotFoundError, ValidationError } from '@dev-health/control-plane';
import { DEAD_LETTER_HEADERS, type IncomingRecord, type RecordCoordinates, readDeadLetter } from '@dev-health/kafka';
import type { DeadLetterRedrive } from '@dev-health/postgres';

/** Records per page of a dead-letter listing, by default and at most. */
export const DEAD_LETTER_PAGE = { default: 50, max: 500 } as const;
/** The most dead letters one redrive request reads (`all`, or the span between its lowest and highest offset). */
export const REDRIVE_MAX_SPAN = 10_000;

/** A consumer group's short name as services pass it to Topology.deadLetter ("processor", "sink-postgres"). */
const GROUP_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** The dead-letter topic of `group`; a name that cannot be one is simply not found. */
export function deadLetterTopicOf(deadLetterPrefix: string, group: string): string {
  if (!GROUP_NAME.test(group)) throw new NotFoundError(`dead-letter group ${group} not found`);
  return `${deadLetterPrefix}${group}`;
}

const isOffset = (value: unknown): value is string | number =>
  (typeof value === 'string' && /^\d{1,19}$/.test(value)) ||
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);

function partitionOf(value: unknown, problems: FieldProblem[]): number {
  if (value === undefined) return 0;
  const partition = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof partition === 'number' && Number.isSafeInteger(partition) && partition >= 0) return partition;
  problems.push({ field: 'partition', message: 'must be a partition number (dead-letter topics have one: 0)' });
  return 0;
}

export interface DeadLetterPageRequest {
  partition: number;
  /** Records after this offset; null: from the oldest still kept. */
  after: string | null;
  limit: number;
}

export function deadLetterPageRequest(query: {
  partition?: string;
  after?: string;
  limit?: string;
}): DeadLetterPageRequest {
  const problems: FieldProblem[] = [];
  const partition = partitionOf(query.partition, problems);
  if (query.after !== undefined && !isOffset(query.after))
    problems.push({ field: 'after', message: 'must be an offset' });
  const limit = query.limit === undefined ? DEAD_LETTER_PAGE.default : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > DEAD_LETTER_PAGE.max)
    problems.push({ field: 'limit', message: `must be an integer from 1 to ${DEAD_LETTER_PAGE.max}` });
  if (problems.length > 0) throw new ValidationError(problems);
  return { partition, after: query.after ?? null, limit };
}

export interface RedriveRequest {
  partition: number;
  /** Offsets in ascending order, without repeats; 'all': every dead letter the partition keeps. */
  offsets: string[] | 'all';
}

/** `{ offsets: [3, "7"] }` or `{ all: true }`, optionally with `partition`. */
export function redriveRequest(body: unknown): RedriveRequest {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const partition = partitionOf(fields.partition, problems);
  const all = fields.all === true;
  if (fields.all !== undefined && typeof fields.all !== 'boolean')
    problems.push({ field: 'all', message: 'must be true or false' });
  let offsets: string[] = [];
  if (all) {
    if (fields.offsets !== undefined) problems.push({ field: 'offsets', message: 'cannot be combined with all' });
  } else if (!Array.isArray(fields.offsets) || fields.offsets.length === 0 || !fields.offsets.every(isOffset)) {
    problems.push({ field: 'offsets', message: 'must be a non-empty list of offsets (or send all: true)' });
  } else {
    offsets = [...new Set(fields.offsets.map((offset) => BigInt(offset)))]
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map(String);
    const [lowest, highest] = [offsets[0], offsets.at(-1)];
    if (lowest !== undefined && highest !== undefined && BigInt(highest) - BigInt(lowest) >= BigInt(REDRIVE_MAX_SPAN))
      problems.push({
        field: 'offsets',
        message: `must lie within ${REDRIVE_MAX_SPAN} offsets of each other; redrive in parts`,
      });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return { partition, offsets: all ? 'all' : offsets };
}

/** A dead letter as the API shows it: why it failed, where it came from, whether it was redriven. */
export interface DeadLetterView {
  partition: number;
  offset: string;
  key: string | null;
  reason: string | null;
  source: RecordCoordinates | null;
  consumer_group: string | null;
  failed_at: string | null;
  /** The org of the record, when its value decodes (poison that is not Avro has none). */
  org_id: string | null;
  /** The original record's own headers (the dlq.* ones are shown above). */
  headers: Record<string, string>;
  value_bytes: number;
  redrive: Pick<DeadLetterRedrive, 'status' | 'attempts' | 'requested_by' | 'claimed_at' | 'published_at'> | null;
}

const DEAD_LETTER_HEADER_NAMES: ReadonlySet<string> = new Set(Object.values(DEAD_LETTER_HEADERS));

export function deadLetterView(
  record: IncomingRecord,
  orgId: string | null,
  redrive: DeadLetterRedrive | undefined,
): DeadLetterView {
  const details = readDeadLetter(record);
  return {
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    reason: details.reason,
    source: details.source,
    consumer_group: details.consumerGroup,
    failed_at: details.failedAt,
    org_id: orgId,
    headers: Object.fromEntries(Object.entries(record.headers).filter(([name]) => !DEAD_LETTER_HEADER_NAMES.has(name))),
    value_bytes: record.value?.length ?? 0,
    redrive: redrive
      ? {
          status: redrive.status,
          attempts: redrive.attempts,
          requested_by: redrive.requested_by,
          claimed_at: redrive.claimed_at,
          published_at: redrive.published_at,
        }
      : null,
  };
}

/** What a redrive did with one requested dead letter. */
export type RedriveOutcome =
  /** Its copy is on the source topic now. */
  | 'published'
  /** Published by an earlier redrive: not published again. */
  | 'already-redriven'
  /** Another redrive claimed it moments ago and is publishing it. */
  | 'in-progress'
  /** No dead letter at that offset (never written, or past retention). */
  | 'not-found'
  /** It names no source topic of this deployment (not written by a dead-lettering consumer). */
  | 'not-redrivable';

export interface RedriveResult {
  offset: string;
  outcome: RedriveOutcome;
  source: RecordCoordinates | null;
}
