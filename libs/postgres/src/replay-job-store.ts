import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  ConflictError,
  NotFoundError,
  REPLAY_JOB_FINAL,
  type ReplayJob,
  type ReplayJobStatus,
  type ReplayRequest,
} from '@dev-health/control-plane';
import { statementRows } from './control-plane-store';

/** Highest reprocessing generation a record version can carry (8 bits of it, see recordVersion). */
const MAX_GENERATION = 255;

/** A task.status as the store applies it (the Avro event, decoupled from the schemas package). */
export interface ReplayStatusUpdate {
  task_id: string;
  state: string;
  percent: number;
  done: number;
  total: number;
  partitions: ReplayJob['partitions'];
  message: string | null;
  at: number;
}

const FINAL = REPLAY_JOB_FINAL.map((status) => `'${status}'`).join(', ');

/**
 * Replays: what was asked (stage, org, from, to), the processor generation it stamps, and the progress
 * the stage reports (task.status, per partition). The stage does the work; this is the record of it,
 * and the outbox the admin service (re)sends commands from.
 */
export class ReplayJobStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return statementRows<T>(this.dataSource, sql, parameters);
  }

  /**
   * Queues a replay. A processor replay takes the org's next reprocessing generation (its output then
   * outranks every earlier derivation of the same source versions); serialized per org by a lock.
   */
  async create(org: string, request: ReplayRequest): Promise<ReplayJob> {
    const id = randomUUID();
    const at = this.now();
    await this.dataSource.transaction(async (manager) => {
      let generation = 0;
      if (request.stage === 'processor') {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext('replay-generation/' || $1))`, [org]);
        const [row] = await manager.query<{ latest: number }[]>(
          `SELECT coalesce(max(generation), 0) AS latest FROM replay_jobs WHERE org_id = $1 AND stage = 'processor'`,
          [org],
        );
        generation = Number(row?.latest ?? 0) + 1;
        if (generation > MAX_GENERATION)
          throw new ConflictError(
            `organization ${org} used all ${MAX_GENERATION} reprocessing generations of processor replays`,
          );
      }
      await manager.query(
        `INSERT INTO replay_jobs (id, org_id, stage, from_time, to_time, from_offsets, generation, status, requested_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $8)`,
        [id, org, request.stage, request.fromTime, request.toTime, JSON.stringify(request.fromOffsets), generation, at],
      );
    });
    return this.get(id);
  }

  async get(id: string, orgs?: readonly string[]): Promise<ReplayJob> {
    const [job] = await this.query<ReplayJob>(`SELECT * FROM replay_jobs WHERE id = $1`, [id]);
    if (!job || (orgs !== undefined && !orgs.includes(job.org_id))) throw new NotFoundError(`replay ${id} not found`);
    return normalized(job);
  }

  async list(org: string): Promise<ReplayJob[]> {
    const jobs = await this.query<ReplayJob>(`SELECT * FROM replay_jobs WHERE org_id = $1 ORDER BY requested_at DESC`, [
      org,
    ]);
    return jobs.map(normalized);
  }

  /**
   * Queued replays whose command was never sent or not taken within `resendAfterMs`, and running ones
   * whose stage went silent that long (it restarted: the resent command resumes from its commits).
   */
  async toDispatch(resendAfterMs: number): Promise<ReplayJob[]> {
    const before = new Date(this.now().getTime() - resendAfterMs);
    const jobs = await this.query<ReplayJob>(
      `SELECT * FROM replay_jobs
        WHERE cancel_requested_at IS NULL AND (
          (status = 'queued' AND (dispatched_at IS NULL OR dispatched_at < $1))
          OR (status = 'running' AND updated_at < $1 AND (dispatched_at IS NULL OR dispatched_at < $1)))
        ORDER BY requested_at`,
      [before],
    );
    return jobs.map(normalized);
  }

  async markDispatched(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.query(`UPDATE replay_jobs SET dispatched_at = $2 WHERE id = ANY($1::uuid[])`, [ids, this.now()]);
  }

  /**
   * Records a cancellation request. A queued replay no stage took yet ends at once; a running one ends
   * when its stage confirms (or, if that stage is gone, after `abandonAfterMs` of silence: see sweep).
   */
  async requestCancel(id: string, orgs?: readonly string[]): Promise<ReplayJob> {
    const job = await this.get(id, orgs);
    if (REPLAY_JOB_FINAL.includes(job.status)) return job;
    const at = this.now();
    await this.query(
      `UPDATE replay_jobs SET cancel_requested_at = coalesce(cancel_requested_at, $2),
         status = CASE WHEN status = 'queued' AND dispatched_at IS NULL THEN 'cancelled' ELSE status END,
         finished_at = CASE WHEN status = 'queued' AND dispatched_at IS NULL THEN $2 ELSE finished_at END,
         error = coalesce(error, 'cancelled on request'), updated_at = $2
       WHERE id = $1 AND status NOT IN (${FINAL})`,
      [id, at],
    );
    return this.get(id);
  }

  /** Cancelled replays whose stage never confirmed within `abandonAfterMs` end as cancelled. */
  async sweepCancelled(abandonAfterMs: number): Promise<number> {
    const rows = await this.query<{ id: string }>(
      `UPDATE replay_jobs SET status = 'cancelled', finished_at = $2, updated_at = $2
        WHERE cancel_requested_at IS NOT NULL AND cancel_requested_at < $1 AND status NOT IN (${FINAL}) RETURNING id`,
      [new Date(this.now().getTime() - abandonAfterMs), this.now()],
    );
    return rows.length;
  }

  /** Applies a stage's task.status; a replay that ended keeps its end state whatever arrives later. */
  async applyStatus(update: ReplayStatusUpdate): Promise<ReplayJob | null> {
    const state = update.state as ReplayJobStatus;
    const final = REPLAY_JOB_FINAL.includes(state);
    const at = new Date(update.at);
    const [row] = await this.query<ReplayJob>(
      `UPDATE replay_jobs SET status = $2, percent = $3, done = $4, total = $5,
         partitions = CASE WHEN jsonb_array_length($6::jsonb) > 0 THEN $6::jsonb ELSE partitions END,
         error = CASE WHEN $2 = 'failed' THEN $7 ELSE error END,
         started_at = coalesce(started_at, $8), finished_at = CASE WHEN $9 THEN $8 ELSE finished_at END,
         updated_at = $10
       WHERE id = $1 AND status NOT IN (${FINAL}) RETURNING *`,
      [
        update.task_id,
        state,
        update.percent,
        update.done,
        update.total,
        JSON.stringify(update.partitions),
        update.message,
        at,
        final,
        this.now(),
      ],
    );
    return row ? normalized(row) : null;
  }
}

/** bigint columns come back as strings. */
function normalized(job: ReplayJob): ReplayJob {
  return { ...job, done: Number(job.done), total: Number(job.total), percent: Number(job.percent) };
}
