import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { statementRows } from './control-plane-store';

/** Where a record sits in a topic; offsets are strings (64-bit). */
export interface TopicPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** One ledger row: a dead letter whose copy was (or is being) published back to its source topic. */
export interface DeadLetterRedrive {
  dlq_topic: string;
  dlq_partition: number;
  dlq_offset: string;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  /** claimed: a publisher owns it and has not seen the broker's ack yet; published: acked. */
  status: 'claimed' | 'published';
  claim_id: string;
  /** Claims so far: more than one means an earlier publisher died or failed before its ack. */
  attempts: number;
  requested_by: string | null;
  claimed_at: Date;
  published_at: Date | null;
}

export type RedriveClaim =
  { claimed: true; claimId: string; retaken: boolean } | { claimed: false; ledger: DeadLetterRedrive };

/** Claims unpublished for this long belong to a publisher that died between claim and ack. */
export const DEFAULT_CLAIM_LEASE_MS = 60_000;

/**
 * The redrive ledger: a dead letter's copy is published only by whoever claims its row, so redriving
 * it twice (or from two requests at once) publishes it once. The one gap is a publisher that dies
 * after the broker acked but before marking the row published: its claim is taken over once the lease
 * expires and the copy published again. That duplicate is a record the consumers already handle
 * idempotently (stores keep the highest record version), so at-least-once there is the safe side.
 */
export class DeadLetterRedriveStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly now: () => Date = () => new Date(),
    private readonly claimLeaseMs = DEFAULT_CLAIM_LEASE_MS,
  ) {}

  private query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return statementRows<T>(this.dataSource, sql, parameters);
  }

  /** Claims the right to publish the copy of `deadLetter`: a first claim, or one whose lease expired. */
  async claim(deadLetter: TopicPosition, source: TopicPosition, requestedBy: string | null): Promise<RedriveClaim> {
    const claimId = randomUUID();
    const at = this.now();
    const key = [deadLetter.topic, deadLetter.partition, deadLetter.offset];
    const inserted = await this.query<{ claim_id: string }>(
      `INSERT INTO dead_letter_redrives (dlq_topic, dlq_partition, dlq_offset, source_topic, source_partition,
         source_offset, status, claim_id, requested_by, claimed_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'claimed', $7, $8, $9)
       ON CONFLICT (dlq_topic, dlq_partition, dlq_offset) DO NOTHING RETURNING claim_id`,
      [...key, source.topic, source.partition, source.offset, claimId, requestedBy, at],
    );
    if (inserted.length > 0) return { claimed: true, claimId, retaken: false };
    const retaken = await this.query<{ claim_id: string }>(
      `UPDATE dead_letter_redrives SET claim_id = $4, claimed_at = $5, attempts = attempts + 1, requested_by = $6
        WHERE dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset = $3 AND status = 'claimed' AND claimed_at < $7
        RETURNING claim_id`,
      [...key, claimId, at, requestedBy, new Date(at.getTime() - this.claimLeaseMs)],
    );
    if (retaken.length > 0) return { claimed: true, claimId, retaken: true };
    const [ledger] = await this.find(deadLetter.topic, deadLetter.partition, [deadLetter.offset]);
    // Released between our two statements: claim again from the start.
    if (!ledger) return this.claim(deadLetter, source, requestedBy);
    return { claimed: false, ledger };
  }

  /** The broker acked the copy: from now on every claim of this dead letter is refused. */
  async markPublished(deadLetter: TopicPosition): Promise<void> {
    await this.query(
      `UPDATE dead_letter_redrives SET status = 'published', published_at = $4
        WHERE dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset = $3`,
      [deadLetter.topic, deadLetter.partition, deadLetter.offset, this.now()],
    );
  }

  /** The publish failed: drop our claim (not a newer one) so a retry need not wait for the lease. */
  async release(deadLetter: TopicPosition, claimId: string): Promise<void> {
    await this.query(
      `DELETE FROM dead_letter_redrives
        WHERE dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset = $3 AND status = 'claimed' AND claim_id = $4`,
      [deadLetter.topic, deadLetter.partition, deadLetter.offset, claimId],
    );
  }

  /** Ledger rows of the given dead letters of one partition, by offset. */
  async find(topic: string, partition: number, offsets: readonly string[]): Promise<DeadLetterRedrive[]> {
    if (offsets.length === 0) return [];
    return this.query<DeadLetterRedrive>(
      `SELECT * FROM dead_letter_redrives WHERE dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset = ANY($3::bigint[])
        ORDER BY dlq_offset`,
      [topic, partition, offsets],
    );
  }

  /** Per dead-letter topic, how many of its records were redriven (published). */
  async publishedCounts(topics: readonly string[]): Promise<Map<string, number>> {
    if (topics.length === 0) return new Map();
    const rows = await this.query<{ dlq_topic: string; published: string }>(
      `SELECT dlq_topic, count(*) AS published FROM dead_letter_redrives
        WHERE dlq_topic = ANY($1::text[]) AND status = 'published' GROUP BY dlq_topic`,
      [topics],
    );
    return new Map(rows.map((row) => [row.dlq_topic, Number(row.published)]));
  }
}
